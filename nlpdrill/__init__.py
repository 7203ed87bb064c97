"""nlpdrill's command line.

``check`` and a cold ``build`` run the simulations in one forked worker per core
(``content/parallel.py``); a BLAS that also starts a thread per core in each worker
oversubscribes the machine, and its spinning threads slowed a 0.1 s least-squares fit
past the time limit. One BLAS thread per process, unless the user says otherwise; it
is read when numpy loads, so it is set here, before anything imports numpy. The
results are the same (the deck is byte-identical either way).
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
