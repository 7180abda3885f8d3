//! Story membership, measured (clustering does not learn it yet): one-sentence briefs of
//! the BBC articles held out of the keep model, clustered with their articles.

use crate::data::{self, BbcArticle};
use crate::dropped::held_out;
use crate::synth::derive::Recipe;
use crate::{Report, synth};

/// Story membership of one-sentence briefs: every held-out article with a brief of its
/// lead, clustered together; B³ precision, recall and F1 against the article.
pub fn briefs(recipe: Recipe, seed: u64, report: &mut Report) -> anyhow::Result<()> {
    let articles: Vec<BbcArticle> = data::bbc_articles(&data::data_dir())?
        .into_iter()
        .filter(|a| held_out(&a.id))
        .collect();
    let made = synth::versions_by(&articles, seed, &[recipe], |_| true);
    let mut documents = Vec::new();
    let mut labels = Vec::new();
    for e in made {
        labels.push(e.source.id.clone());
        documents.push(e.source);
        labels.push(labels.last().cloned().unwrap_or_default());
        documents.push(e.version);
    }
    let stories = stemma::cluster::cluster_documents(&documents, &Default::default());
    let mut story_of = vec![0usize; documents.len()];
    for (k, story) in stories.iter().enumerate() {
        for &d in &story.documents {
            story_of[d] = k;
        }
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for i in 0..documents.len() {
        let same_story = (0..documents.len()).filter(|&j| story_of[j] == story_of[i]);
        let same_label = (0..documents.len()).filter(|&j| labels[j] == labels[i]);
        let both = (0..documents.len())
            .filter(|&j| story_of[j] == story_of[i] && labels[j] == labels[i])
            .count() as f64;
        precision += both / same_story.count() as f64;
        recall += both / same_label.count() as f64;
    }
    let n = documents.len().max(1) as f64;
    let (p, r) = (precision / n, recall / n);
    let name = &format!("story membership: {} + article", recipe.name());
    report.row(name, "clustering", "B³ precision", p);
    report.row(name, "clustering", "B³ recall", r);
    report.row(name, "clustering", "B³ F1", 2.0 * p * r / (p + r).max(1e-9));
    Ok(())
}
