"""Outputs: the JSON output contract, and (later) exports, situation reports and the web app."""
