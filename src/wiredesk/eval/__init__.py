"""Scorers for the public benchmarks. Each module has ``evaluate(path, **options) -> dict`` and
``render(result) -> str``; ``wiredesk eval NAME PATH [--json]`` calls them."""

EVALUATIONS = ("timeml", "plover", "ecbplus", "eventloc")
