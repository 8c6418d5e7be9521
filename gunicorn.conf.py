"""gunicorn reads this file when started in the repository: the settings live in the package
(``pmolearn/ops/gunicorn_conf.py``), so an installed release has them too."""

from pmolearn.ops.gunicorn_conf import *  # noqa: F403
