"Project hygiene: every exported module imports in a fresh interpreter; every notebook has its papermill parameters cell."
import configparser, subprocess, sys
from pathlib import Path
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p.stem for p in (ROOT / "oracle_nb").glob("*.py") if not p.stem.startswith("_"))
NOTEBOOKS = sorted(p for p in (ROOT / "nbs").glob("*.ipynb"))

@pytest.mark.parametrize("module", MODULES)
def test_module_imports_in_fresh_interpreter(module):
    r = subprocess.run([sys.executable, "-c", f"import oracle_nb.{module}"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr

@pytest.mark.parametrize("nb", [n for n in NOTEBOOKS if n.stem != "index"], ids=lambda p: p.stem)
def test_notebook_has_one_parameters_cell_then_validation(nb):
    import papermill
    cells = nbformat.read(nb, as_version=4).cells
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{nb.name}: {len(tagged)} cells tagged 'parameters'"
    params = papermill.inspect_notebook(str(nb))
    assert params, f"{nb.name}: papermill finds no parameters"
    assert "coerce_param" in cells[tagged[0] + 1].source, f"{nb.name}: the cell after the parameters must validate them"

def test_settings_keep_papermill_tags():
    cfg = configparser.ConfigParser(delimiters=["="]); cfg.read(ROOT / "settings.ini")
    assert cfg["DEFAULT"]["allowed_cell_metadata_keys"].strip() == "tags"
    assert "slow" in cfg["DEFAULT"]["tst_flags"].split()

def test_readme_is_rendered_from_index_notebook():
    "README.md is `make readme`'s rendering of nbs/index.ipynb."
    from nbconvert import MarkdownExporter
    body, _ = MarkdownExporter().from_notebook_node(nbformat.read(ROOT / "nbs" / "index.ipynb", as_version=4))
    assert (ROOT / "README.md").read_text().strip() == body.strip(), "README.md is stale: run `make readme`"
