"""Build hook: the wheel carries the migrations and the seed files.

The repository keeps them at the top (``migrations/``, ``seeds/``), where Alembic and people
expect them; a wheel holds only packages, so building copies them into ``pmolearn/_shipped/``.
``pmolearn.config.shipped`` finds either. Everything else is in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("migrations", "seeds")
SKIP = ("__pycache__", "*.pyc")


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the repository's own folders
        root = Path(__file__).resolve().parent
        for name in SHIPPED:
            target = Path(self.build_lib) / "pmolearn" / "_shipped" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(root / name, target, ignore=shutil.ignore_patterns(*SKIP))


setup(cmdclass={"build_py": BuildPyWithData})
