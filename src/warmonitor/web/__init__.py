"""warmonitor's JSON API (FastAPI), served by `warmonitor serve`."""
