// The model (records, errors, permissions) is part of the core's vocabulary: a door that
// imports StewardCore speaks it. The store module is not: see `Services`.
@_exported import StewardModel
