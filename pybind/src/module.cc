// The _ctplab extension module: the policy engine, the simulator and the conformance runner,
// bound for the pure-Python package `ctplab` that imports it.
#include "bindings.h"

PYBIND11_MODULE(_ctplab, m) {
  m.doc() =
      "Bindings of ctplab's policy engine, traffic simulator and conformance runner. Import the "
      "`ctplab` package instead: it wraps these functions with keyword arguments and docstrings.";
  m.attr("__version__") = CTPLAB_VERSION;
  m.attr("CASES_DIR") = CTPLAB_CASES_DIR;
  ctplab::python::bindPolicy(m);
  ctplab::python::bindScenario(m);
  ctplab::python::bindSimulator(m);
  ctplab::python::bindConformance(m);
}
