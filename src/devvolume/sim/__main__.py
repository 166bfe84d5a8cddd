"""``python -m devvolume.sim NAME [DIRECTORY]`` regenerates a case dataset byte for byte."""

from devvolume.sim._datasets import main

main()
