"""Red Cross Lecture Hall: a pure-Python core per feature plus thin MkDocs adapters."""
