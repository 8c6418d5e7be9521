"""The floor for ``throughput.py``: the smallest Flask app, served by the same gunicorn settings.

Whatever pmolearn's pages reach is measured as a share of what this one reaches on the same
machine in the same run, so the figures mean the same on a laptop and on a server.
"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "Hello, World!"
