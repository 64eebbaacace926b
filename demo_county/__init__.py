"""A fictional demo county (云溪县) for development, screenshots and benchmarks.

``content`` holds the facts and vocabularies, ``writers`` turns them into disclosure
items, ``builder`` writes everything to the database; ``manage.py seed_demo`` runs it.
All names, people, numbers and documents are invented.
"""
