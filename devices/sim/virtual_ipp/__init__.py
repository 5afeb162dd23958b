"""A virtual IPP printer (print server + print engine) that the real CUPS drivers talk to.

``engine`` prints (pages, faults, job records), ``operations`` speaks IPP, ``server`` is the
HTTP listener on loopback. :mod:`devices.sim.ipp_printer` puts the CUPS driver in front of it.
"""
