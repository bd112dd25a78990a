"""The learning spam and abuse filter: trained on this outlet's own moderation decisions,
on its own server, and consulted by the one write path of comments before one is saved.

An app of its own above discussion (docs/ARCHITECTURE.md): it reads comments and their
statuses to learn from them, and discussion reaches it only through the
`rostra_comment_filter` app hook, so discussion runs the same without it. Its tables
(models, scores, settings) migrate on their own, beside discussion's.

What runs where:

- `folding`, `features`, `scoring`: pure Python, imported by the serving processes.
  A comment is turned into hashed word and character n-grams plus a few signals, and
  scored by a sparse dot product over the stored weights (no numpy, no scikit-learn).
- `examples`, `training`: the outlet's decisions as labelled examples, and the model
  fitted on them with scikit-learn, imported only by the process that trains (a child
  process of the worker, or `rostra filter train`).
- `services`: training and storing a model version, scoring a submission;
  `selectors`: the current model, its settings, what it would have held.
"""
