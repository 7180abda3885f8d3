//! Grouping without chaining: candidate edges are taken strongest first, and an edge
//! joins the groups of its two documents only when the **average** similarity over the
//! pairs across the two groups clears the threshold.
//!
//! Single linkage (connected components of the edges) lets one bridging pair — a reposted
//! paragraph, a shared quote — glue two large stories together. Averaging over the cross
//! pairs asks that the groups be similar as wholes: one strong edge between two groups of
//! ten is one pair in a hundred. Pairs that were never candidates are scored on demand, so
//! the average is over real similarities, not over the edges that happened to be found.
//! Between two large groups a fixed, evenly spaced sample of members stands for each, so a
//! merge check costs at most `SAMPLE × SAMPLE` similarities however large the groups grow.
//!
//! The average alone is not enough, so a merge must also pass cohesion tests: the two
//! groups must be about as alike across as each is inside (a share of the smaller inner
//! similarity, for loose groups of independent accounts, and within a margin of it, for
//! tight families of copies), and the merged group must stay as alike inside as a story
//! is, so a running subject cannot grow one loosely related member at a time.
//!
//! Edges come in two strengths. A strong edge may found a group of two lone documents; a
//! weak one (a pair a little less alike) may only bring a document or a group into a
//! group that has at least two members already, and asks more of the average across: a
//! commentary or a long feature on an event is weakly like each of its reports but about
//! equally like all of them, where two lone documents weakly alike are as often two
//! follow-ups of one running subject.

use std::collections::HashSet;

/// Members drawn from each side of a merge check when the groups are large.
const SAMPLE: usize = 8;

/// When two groups joined by an edge merge.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// Edges scoring at least this are strong: they may join two single items.
    pub(crate) strong_edge: f32,
    /// The least average similarity across two groups joined by a strong edge.
    pub(crate) threshold: f32,
    /// The least average similarity across two groups joined by a weak edge (one of
    /// which must have two members or more).
    pub(crate) weak_threshold: f32,
    /// Across a strong edge, the average must also reach this share of the smaller of the
    /// groups' inner similarities.
    pub(crate) cohesion_ratio: f32,
    /// Across a strong edge, the average may also fall at most this far below the smaller
    /// of the groups' inner similarities: the ratio is the rule for loose groups, the
    /// margin for tight ones.
    pub(crate) cohesion_margin: f32,
    /// Across a weak edge, the average must also reach this share of the larger of the
    /// groups' inner similarities: a family of copies, all alike, is weakly like a stray
    /// document as a whole if it is weakly like one copy.
    pub(crate) weak_cohesion_ratio: f32,
    /// See [`cohesion`].
    pub(crate) prior: (f32, f32),
    /// The least inner similarity of a merged group (see [`cohesion`]).
    pub(crate) story_cohesion: f32,
}

/// Groups `n` items given `edges` (score, a, b) sorted strongest first (ties by `a`, `b`).
/// Two groups joined by an edge merge when their average `similarity` reaches the
/// threshold of the edge's strength and `cohesion_ratio` times the smaller of their inner
/// similarities (see [`Rules`]). Returns the groups, each sorted, in order of their
/// smallest member.
pub(crate) fn group(
    n: usize,
    edges: &[(f32, u32, u32)],
    rules: &Rules,
    similarity: &dyn Fn(u32, u32) -> f32,
) -> Vec<Vec<u32>> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut members: Vec<Vec<u32>> = (0..n as u32).map(|i| vec![i]).collect();
    // The sum of the similarities inside each group (estimated from samples past a size).
    let mut inner: Vec<f32> = vec![0.0; n];
    // Checks that failed, by the two groups' roots and sizes. A group only changes by
    // growing, so a root and a size name one state of it: while neither group has grown,
    // the next edge between them would fail the same check (on the 20k benchmark corpus,
    // 20,500 of 33,400 checks were such repeats).
    let mut failed: HashSet<(u32, u32, u32, u32)> = HashSet::new();
    for &(score, a, b) in edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra == rb {
            continue;
        }
        let (ga, gb) = (&members[ra as usize], &members[rb as usize]);
        let state = if ra < rb {
            (ra, rb, ga.len() as u32, gb.len() as u32)
        } else {
            (rb, ra, gb.len() as u32, ga.len() as u32)
        };
        let floor = if score >= rules.strong_edge {
            rules.threshold
        } else if ga.len() == 1 && gb.len() == 1 {
            continue;
        } else {
            rules.weak_threshold
        };
        if failed.contains(&state) {
            continue;
        }
        // Two groups must be about as alike as their own members are: two groups of
        // accounts of two events of one kind stay apart (ratio), and so do two tight
        // families of copies of two articles on one subject (margin), even when their
        // average clears the threshold.
        let (ca, cb) = (
            cohesion(inner[ra as usize], ga.len(), rules.prior),
            cohesion(inner[rb as usize], gb.len(), rules.prior),
        );
        let need = if score >= rules.strong_edge {
            let inner = ca.min(cb);
            floor
                .max(rules.cohesion_ratio * inner)
                .max(inner - rules.cohesion_margin)
        } else {
            floor.max(rules.weak_cohesion_ratio * ca.max(cb))
        };
        // The merged group must stay a story: its own inner similarity (with the prior)
        // at least `story_cohesion`, which asks this much of the average across.
        let need = need.max(joined_need(
            inner[ra as usize] + inner[rb as usize],
            ga.len(),
            gb.len(),
            rules.story_cohesion,
            rules.prior,
        ));
        let average = if ga.len() == 1 && gb.len() == 1 {
            Some(score)
        } else {
            average_at_least(ga, gb, need, similarity)
        };
        let Some(average) = average.filter(|&avg| avg >= need) else {
            failed.insert(state);
            continue;
        };
        let cross = average * (ga.len() * gb.len()) as f32;
        let joined_inner = inner[ra as usize] + inner[rb as usize] + cross;
        // The larger group absorbs the smaller; members stay sorted.
        let (keep, gone) = if members[ra as usize].len() >= members[rb as usize].len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let moved = std::mem::take(&mut members[gone as usize]);
        let kept = std::mem::take(&mut members[keep as usize]);
        members[keep as usize] = merge_sorted(&kept, &moved);
        inner[keep as usize] = joined_inner;
        parent[gone as usize] = keep;
    }
    let mut groups: Vec<Vec<u32>> = members.into_iter().filter(|m| !m.is_empty()).collect();
    groups.sort_unstable_by_key(|m| m[0]);
    groups
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let grand = parent[parent[x as usize] as usize];
        parent[x as usize] = grand;
        x = grand;
    }
    x
}

fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Evenly spaced members standing for a group (all of them when it is small).
fn sample(group: &[u32]) -> Vec<u32> {
    if group.len() <= SAMPLE {
        return group.to_vec();
    }
    (0..SAMPLE)
        .map(|k| group[k * group.len() / SAMPLE])
        .collect()
}

/// The mean similarity inside a group, shrunk towards `prior`; none for a single member
/// (any value is allowed).
///
/// Edges are taken strongest first, so the inner pairs of a small group are the strongest
/// of its members' pairs, not a fair sample of them: two near-copies make a group of
/// inner similarity 0.9 that would then ask as much of every later version. `prior` is
/// `(similarity, pairs)`: that many pairs of that similarity (the edge threshold, the
/// least any edge scores) are added to the mean; a group of many members outweighs them.
fn cohesion(inner: f32, size: usize, prior: (f32, f32)) -> f32 {
    if size < 2 {
        return 0.0;
    }
    let (prior, prior_pairs) = prior;
    let pairs = (size * (size - 1) / 2) as f32;
    (inner + prior * prior_pairs) / (pairs + prior_pairs)
}

/// The least average similarity across two groups of `a` and `b` members, whose inner
/// similarities sum to `inner`, for the merged group's cohesion to reach `least`.
fn joined_need(inner: f32, a: usize, b: usize, least: f32, prior: (f32, f32)) -> f32 {
    let (prior, prior_pairs) = prior;
    let n = a + b;
    let pairs = (n * (n - 1) / 2) as f32;
    (least * (pairs + prior_pairs) - inner - prior * prior_pairs) / (a * b) as f32
}

/// The mean similarity across the two groups (or their samples), or `None` as soon as it
/// is certain to be below `need`.
fn average_at_least(
    a: &[u32],
    b: &[u32],
    need: f32,
    similarity: &dyn Fn(u32, u32) -> f32,
) -> Option<f32> {
    let (a, b) = (sample(a), sample(b));
    let total = (a.len() * b.len()) as f32;
    let need_sum = need * total;
    let mut sum = 0.0f32;
    let mut left = total;
    for &x in &a {
        for &y in &b {
            sum += similarity(x, y);
            left -= 1.0;
            if sum + left < need_sum {
                return None;
            }
        }
    }
    Some(sum / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bridge_does_not_merge_two_groups() {
        // Two tight groups {0,1,2} and {3,4,5}, one strong pair 2–3 between them, which
        // single linkage would follow.
        let groups = two_groups(0.8, 0.05, 0.7, &plain(0.5));
        assert_eq!(groups, vec![vec![0, 1, 2], vec![3, 4, 5]]);
    }

    /// One threshold for every edge, no cohesion test.
    fn plain(threshold: f32) -> Rules {
        Rules {
            strong_edge: 0.0,
            threshold,
            weak_threshold: threshold,
            cohesion_ratio: 0.0,
            cohesion_margin: 1.0,
            weak_cohesion_ratio: 0.0,
            prior: (threshold, 0.0),
            story_cohesion: 0.0,
        }
    }

    /// Two groups of three, {0, 1, 2} and {3, 4, 5}, each alike at `inside` within and
    /// `across` between, but for the pair 2–3 at `bridge`: the last edge.
    fn two_groups(inside: f32, across: f32, bridge: f32, rules: &Rules) -> Vec<Vec<u32>> {
        let similarity = move |a: u32, b: u32| match (a.min(b), a.max(b)) {
            (2, 3) => bridge,
            (a, b) if a / 3 == b / 3 => inside,
            _ => across,
        };
        let mut edges = Vec::new();
        for (a, b) in [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5)] {
            edges.push((inside, a, b));
        }
        edges.push((bridge, 2, 3));
        group(6, &edges, rules, &similarity)
    }

    #[test]
    fn tight_families_need_the_margin_loose_groups_the_ratio() {
        let rules = Rules {
            strong_edge: 0.25,
            cohesion_ratio: 0.66,
            cohesion_margin: 0.18,
            ..plain(0.15)
        };
        let apart = vec![vec![0, 1, 2], vec![3, 4, 5]];
        let joined = vec![vec![0, 1, 2, 3, 4, 5]];
        // Copies of two articles on one subject: ratio 0.68 passes, but 0.25 below.
        assert_eq!(two_groups(0.8, 0.55, 0.55, &rules), apart);
        // Two halves of one event: ratio 0.69 and 0.12 below.
        assert_eq!(two_groups(0.4, 0.28, 0.28, &rules), joined);
        // Two events of one kind: 0.12 below, but ratio 0.63.
        assert_eq!(two_groups(0.4, 0.25, 0.25, &rules), apart);
        // Without the margin, the families join.
        let ratio_only = Rules {
            cohesion_margin: 1.0,
            ..rules
        };
        assert_eq!(two_groups(0.8, 0.55, 0.55, &ratio_only), joined);
    }

    #[test]
    fn a_story_stops_growing_before_it_is_loose() {
        // 0 and 1 are alike (0.6); every later item is like each earlier one at 0.3, so
        // each would join on the average, but the group grows less alike inside: with the
        // floor at 0.38, {0, 1, 2} (0.4 inside) may form, {0, 1, 2, 3, 4} (0.35) may not,
        // and 3 and 4 stay a pair.
        let similarity = |a: u32, b: u32| match (a.min(b), a.max(b)) {
            (0, 1) => 0.6,
            (3, 4) => 0.5,
            _ => 0.3,
        };
        let edges = [
            (0.6, 0, 1),
            (0.5, 3, 4),
            (0.3, 0, 2),
            (0.3, 1, 3),
            (0.3, 2, 4),
        ];
        let loose = group(5, &edges, &plain(0.25), &similarity);
        assert_eq!(loose, vec![vec![0, 1, 2, 3, 4]]);
        let rules = Rules {
            story_cohesion: 0.38,
            ..plain(0.25)
        };
        let groups = group(5, &edges, &rules, &similarity);
        assert_eq!(groups, vec![vec![0, 1, 2], vec![3, 4]]);
    }

    #[test]
    fn a_weak_edge_joins_a_story_but_founds_none() {
        // {0, 1} is a story; 2 is weakly like both (0.2, 0.19); 3 and 4 are weakly like
        // each other only.
        let similarity = |a: u32, b: u32| match (a.min(b), a.max(b)) {
            (0, 1) => 0.6,
            (0, 2) => 0.2,
            (1, 2) => 0.19,
            (3, 4) => 0.2,
            _ => 0.0,
        };
        let edges = [(0.6, 0, 1), (0.2, 0, 2), (0.2, 3, 4)];
        let rules = Rules {
            strong_edge: 0.25,
            weak_threshold: 0.17,
            prior: (0.25, 0.0),
            ..plain(0.15)
        };
        let groups = group(5, &edges, &rules, &similarity);
        assert_eq!(groups, vec![vec![0, 1, 2], vec![3], vec![4]]);
    }

    #[test]
    fn a_failed_check_is_tried_again_once_a_group_has_grown() {
        // {0, 1} and {2} fail (average 0.25 < 0.3); 3 then joins {0, 1}, and {0, 1, 3}
        // against {2} averages 0.317: the later edge 2–3 must be checked, not skipped as a
        // repeat of the failure between the same two roots.
        let similarity = |a: u32, b: u32| match (a.min(b), a.max(b)) {
            (0, 1) => 0.9,
            (0, 2) | (0, 3) | (1, 3) => 0.5,
            (2, 3) => 0.45,
            _ => 0.0,
        };
        let edges = [
            (0.9, 0, 1),
            (0.5, 0, 2),
            (0.5, 0, 3),
            (0.5, 1, 3),
            (0.45, 2, 3),
        ];
        let rules = plain(0.3);
        let groups = group(4, &edges, &rules, &similarity);
        assert_eq!(groups, vec![vec![0, 1, 2, 3]]);
    }
}
