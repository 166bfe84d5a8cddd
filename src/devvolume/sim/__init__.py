"""The direct-sales simulator and the case datasets it made.

:func:`simulate` turns a :class:`SalesModel` into a seeded work log, orders and targets;
:func:`project` is its fast expected-value twin for the what-if lesson. The case datasets
(directsales, fmcg, software) ship with data cards and load through :func:`load_dataset`;
:func:`case_growth` runs a case's model over many seeds, with and without its intervention.
:func:`crm_opportunities` writes a seeded CRM opportunity export shaped like the public "CRM
Sales Opportunities" dataset (:func:`pipeline_csv` gives it as ``sales_pipeline.csv`` holds it).
"""

from devvolume.sim._cases import CASES, Case, list_datasets
from devvolume.sim._datasets import Dataset, build_dataset, load_dataset
from devvolume.sim._model import LEVERS, Channel, Intervention, Lever, RepSpec, SalesModel
from devvolume.sim._opportunities import Opportunities, crm_opportunities, pipeline_csv
from devvolume.sim._project import Projection, project
from devvolume.sim._seeds import CaseGrowth, case_growth
from devvolume.sim._simulate import Simulation, simulate, write_simulation

__all__ = [
    "CASES",
    "LEVERS",
    "Case",
    "CaseGrowth",
    "Channel",
    "Dataset",
    "Intervention",
    "Lever",
    "Opportunities",
    "Projection",
    "RepSpec",
    "SalesModel",
    "Simulation",
    "build_dataset",
    "case_growth",
    "crm_opportunities",
    "list_datasets",
    "load_dataset",
    "pipeline_csv",
    "project",
    "simulate",
    "write_simulation",
]
