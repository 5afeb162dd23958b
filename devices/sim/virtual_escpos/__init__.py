"""The virtual ESC/POS printer: parser, renderer, simulated state and the TCP/pty server.

Import the parts you need from their modules; this package imports nothing on its own, so that
``devices.sim.virtual_escpos.parser`` stays cheap for the real drivers' job accounting.
"""
