"""``python -m devvolume.sim NAME [DIRECTORY]`` regenerates a case dataset byte for byte.

``python -m devvolume.sim crm-examples`` regenerates the example CRM exports (``examples/crm/``).
"""

from devvolume.sim._datasets import main

main()
