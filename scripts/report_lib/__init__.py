"""scripts/report's modules: loading a run folder, Markdown and chart helpers, one module per
report (report_*.py) and the index."""
