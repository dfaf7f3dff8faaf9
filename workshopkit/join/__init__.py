"""Phones join a workshop: the aiohttp phone server, its runner thread, links and LAN helpers.

Nothing here imports Qt. The app starts a :class:`~workshopkit.join.runner.JoinServer` and turns
its ``on_change`` callbacks into a Qt signal; ``workshopkit serve`` runs the same server headless.
"""
