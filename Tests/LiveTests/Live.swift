import Testing

/// Every live test runs inside this suite, one at a time: they start real processes and some
/// check that no role process is left on the machine, which only means something when no other
/// live test is running.
@Suite(.serialized) enum Live {}
