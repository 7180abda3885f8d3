//! `stemma-train`: retrains every learned verdict of stemma from the development data and
//! prints the dev table. See the README's "Learned verdicts".

mod data;
mod synth;

fn main() -> anyhow::Result<()> {
    Ok(())
}
