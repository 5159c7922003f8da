"""ctplab: Envoy Gateway's ClientTrafficPolicy, offline.

- :func:`translate` runs the policy engine over manifests: statuses, IR, ``ctplab translate``'s
  YAML.
- :class:`Scenario` and :func:`simulate` replay client populations against the resulting Gateway
  in virtual time, deterministically for a seed; results as the CLI's JSON and NumPy arrays.
- :mod:`ctplab.conformance` lists and runs the conformance cases.

Input problems raise :class:`PolicyError`, :class:`ScenarioError` or :class:`ConformanceError`
(all :class:`Error`, a ValueError) with the engine's ``file:line:column: error: field: message``
lines.
"""

from . import _ctplab
from . import conformance
from .errors import ConformanceError, Diagnostic, Error, PolicyError, ScenarioError
from .policy import Translation, translate
from .simulation import Histogram, Scenario, SimulationResult, simulate

__version__: str = _ctplab.__version__

__all__ = [
    "ConformanceError",
    "Diagnostic",
    "Error",
    "Histogram",
    "PolicyError",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "Translation",
    "__version__",
    "conformance",
    "simulate",
    "translate",
]
