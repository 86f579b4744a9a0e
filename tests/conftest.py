import sys
from pathlib import Path

# the project's scripts are importable by the cross-module tests
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
