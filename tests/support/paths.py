"""Where the checkout and the development datasets are (`../shared/datasets`, may be absent)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATASETS = ROOT.parent / "shared" / "datasets"
