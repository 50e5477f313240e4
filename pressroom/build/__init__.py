"""Build: the verbs that run the stages — plan a job per declared output whose inputs
changed, run jobs on an executor (this process, local workers, a Dask cluster), write
atomically, collect, prune — and `check`.
"""
