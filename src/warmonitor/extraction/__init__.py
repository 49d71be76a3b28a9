"""Per-sentence extraction: triggers, roles, time, quantities, attribution and modality -> Mention."""
