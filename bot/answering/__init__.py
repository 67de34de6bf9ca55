"""The answering engine: question analysis, evidence, selection, reader, abstention, notes, composition, grounding."""
