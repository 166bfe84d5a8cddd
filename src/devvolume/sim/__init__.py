"""The direct-sales simulator and the case datasets it made.

:func:`simulate` turns a :class:`SalesModel` into a seeded work log, orders and targets;
:func:`project` is its fast expected-value twin for the what-if lesson. The case datasets
(directsales, fmcg, software) ship with data cards and load through :func:`load_dataset`.
"""

from devvolume.sim._cases import CASES, Case, list_datasets
from devvolume.sim._datasets import Dataset, build_dataset, load_dataset
from devvolume.sim._model import LEVERS, Channel, Intervention, Lever, RepSpec, SalesModel
from devvolume.sim._project import Projection, project
from devvolume.sim._simulate import Simulation, simulate, write_simulation

__all__ = [
    "CASES",
    "LEVERS",
    "Case",
    "Channel",
    "Dataset",
    "Intervention",
    "Lever",
    "Projection",
    "RepSpec",
    "SalesModel",
    "Simulation",
    "build_dataset",
    "list_datasets",
    "load_dataset",
    "project",
    "simulate",
    "write_simulation",
]
