"""The picture across documents: resolved entities, claim clusters, figure tracks, a timeline.

``Picture`` is the read API every face of sitroom calls (``sitroom.picture.api``); the other
modules compute its parts from store rows.
"""

from sitroom.picture.api import NotFound, Page, Picture, check_date
from sitroom.picture.claims import ClaimCluster, cluster_claims, speaker_counts
from sitroom.picture.entities import EntityIndex, ResolvedEntity, resolve
from sitroom.picture.figures import FigureTrack, figure_tracks
from sitroom.picture.timeline import timeline

__all__ = ["ClaimCluster", "EntityIndex", "FigureTrack", "NotFound", "Page", "Picture", "ResolvedEntity",
           "check_date", "cluster_claims", "figure_tracks", "resolve", "speaker_counts", "timeline"]
