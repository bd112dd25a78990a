"""rostra filter: train the spam filter now, or measure it on a labelled CSV file.

rostra filter train                 train a new version on every decision so far
rostra filter evaluate FILE.csv     score FILE (header `text,label`, label spam/ham
                                    or 1/0) with the current version, print figures
"""

from django.core.management.base import BaseCommand, CommandError

from rostra.spamfilter.evaluation import EvaluationError, evaluate_file


class Command(BaseCommand):
    help = (
        "Train the spam filter now (`rostra filter train`), or measure the current version "
        "on a labelled CSV file (`rostra filter evaluate FILE`)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser("train", help="train a new version now")
        train.add_argument("--trigger", default="command", help="why (kept with the version)")
        evaluate = actions.add_parser("evaluate", help="score a labelled CSV file")
        evaluate.add_argument("file", help="CSV with a header `text,label`")

    def handle(self, *args, action, **options):
        if action == "train":
            return self._train(options["trigger"])
        try:
            figures = evaluate_file(options["file"])
        except EvaluationError as error:
            raise CommandError(str(error), returncode=2) from None
        for label, value in figures:
            self.stdout.write(f"{label}: {value}")

    def _train(self, trigger: str):
        from rostra.spamfilter.services import filter_train

        model = filter_train(trigger=trigger)
        if model is None:
            self.stdout.write("A training is already running; try again when it has finished.")
            return
        counts = ", ".join(f"{n} {label}" for label, n in model.counts.items())
        self.stdout.write(f"Version {model.version} trained on {counts} in {model.seconds:g} s.")
        if model.state == "learning":
            self.stdout.write(
                "Learning: fewer than the examples it needs of spam (and of legitimate "
                "comments); it scores nothing yet."
            )
            return
        for label, figures in model.metrics.get("classes", {}).items():
            self.stdout.write(
                f"{label}: precision {_share(figures['precision'])}, "
                f"recall {_share(figures['recall'])}, "
                f"legitimate held {_share(figures['legitimate_held'])} "
                f"at threshold {figures['threshold']:.2f} (held-out: newest "
                f"{model.metrics['held_out']} decisions)"
            )


def _share(value) -> str:
    return "n/a" if value is None else f"{value:.2f}"
