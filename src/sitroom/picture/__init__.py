"""The picture across documents: resolved entities, claim clusters, figure tracks, a timeline."""

from sitroom.picture.claims import ClaimCluster, cluster_claims, speaker_counts
from sitroom.picture.entities import EntityIndex, ResolvedEntity, add_correction, entity_index, resolve
from sitroom.picture.figures import FigureTrack, figure_tracks
from sitroom.picture.timeline import timeline

__all__ = ["ClaimCluster", "EntityIndex", "FigureTrack", "ResolvedEntity", "add_correction", "cluster_claims",
           "entity_index", "figure_tracks", "resolve", "speaker_counts", "timeline"]
