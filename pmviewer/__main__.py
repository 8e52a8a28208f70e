import sys

from pmviewer.cli import main

sys.exit(main())
