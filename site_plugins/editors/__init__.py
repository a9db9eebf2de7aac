"""The editors and maintainers commands: check, new, build, guide tables."""
