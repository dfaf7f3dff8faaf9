"""The workshop's four steps as the facilitator's handbook: guidance, steps and questions.

No Qt here. The text is written in our own words from the *Equitable Partnerships for Civic
Engagement* toolkit (Gifford et al. 2025, Queen Mary University of London / NCIA, CC BY-NC 4.0).
"""

from workshopkit.exercises.guidance import CREDIT, Guidance, all_steps, step_by_number

__all__ = ["CREDIT", "Guidance", "all_steps", "step_by_number"]
