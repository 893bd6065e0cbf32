"""Knowledge about Keras and its ecosystem, as data and tiny lookups: no reading of files or code.

Every reader asks these tables the same questions (what a loader's labels are, what a library
class's head is), so the answers live in one place: one module per library or loader family.
"""
