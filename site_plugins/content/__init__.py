"""Read, model and validate editors content: the first stage of the pipeline."""
