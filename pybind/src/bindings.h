// The parts of the _ctplab extension: each bind* function adds one area's functions and classes.
// module.cc calls them in order; the pure-Python package `ctplab` wraps what they add.
#pragma once

#include <pybind11/pybind11.h>
// Every part converts std containers the same way; mixing casters across files would be an ODR
// violation.
#include <pybind11/stl.h>

namespace ctplab::python {

namespace py = pybind11;

void bindPolicy(py::module_& m);
void bindScenario(py::module_& m);
void bindSimulator(py::module_& m);
void bindConformance(py::module_& m);

}  // namespace ctplab::python
