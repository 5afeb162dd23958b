import sys

from kiosk.cli import main, private_files

private_files()
sys.exit(main(None))
