import sys

from nlpdrill.cli import main

sys.exit(main())
