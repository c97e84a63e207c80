"""How the argument map is folded to fit a chat preview: rows of trees, rows of siblings.

Graphviz lays a forest out side by side, so a reading with eight claims came
out eight trees wide (2095 x 451 px for the demo), and a claim with forty
objections forty boxes wide: at the width a chat client shows a picture, no
word could be read. Two folds keep every map at most twice as wide as high
(tests/test_map_layout.py measures the pictures):

- the trees are packed into a grid (Graphviz's `packmode=array`) whose number
  of columns is chosen from an estimate of each tree's size;
- the answers to one statement wrap onto further ranks beyond a few per row,
  by invisible edges from each answer to the one a row above it.

The estimate counts boxes, not inches: every box is about NODE_WIDTH wide and a
rank about RANK_HEIGHT high, which the fixed label width below makes true.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Inches a box and the space beside it take, and a rank with the space below it.
NODE_WIDTH = 2.5
RANK_HEIGHT = 1.1
#: Inches between two trees of the grid, and the arrows' detours around boxes.
GAP = 0.6
#: Width over height the grid aims for: a landscape picture fills a chat preview best.
TARGET_RATIO = 1.2
#: The fewest answers to one statement drawn side by side before wrapping.
MIN_ROW = 4


@dataclass(frozen=True)
class Folded:
    """The folds for one map: tree of each statement, invisible edges, grid columns."""

    #: The slug of the claim (or topmost statement) of each statement's tree.
    tree_of: dict[str, str]
    #: (lower, upper) pairs: `lower` is drawn a rank below `upper`.
    wrap_edges: list[tuple[str, str]]
    columns: int


def row_length(answers: int) -> int:
    """How many answers to one statement share a rank: a square-ish block of them."""
    return max(MIN_ROW, math.ceil(math.sqrt(answers * RANK_HEIGHT / NODE_WIDTH)))


def fold(statements: Sequence[dict[str, Any]], extra: tuple[float, float] = (2, 2)) -> Folded:
    """The folds for these statements; `extra` is one more cell (the legend), in boxes.

    Linear in the statements, and without recursion: a chain of replies can be
    as deep as a map is long.
    """
    shown = {s["slug"] for s in statements}
    children: dict[str | None, list[str]] = defaultdict(list)
    for statement in statements:
        parent = statement["target"] if statement["target"] in shown else None
        children[parent].append(statement["slug"])
    tree_of: dict[str, str] = {}
    wrap_edges: list[tuple[str, str]] = []
    sizes: list[tuple[float, float]] = []
    for root in children[None]:
        order: list[str] = []
        stack = [root]
        while stack:
            slug = stack.pop()
            tree_of[slug] = root
            order.append(slug)
            answers = children.get(slug, [])
            width = row_length(len(answers))
            wrap_edges.extend(
                (child, answers[index - width])
                for index, child in enumerate(answers)
                if index >= width
            )
            stack.extend(answers)
        sizes.append(_tree_size(order, children))
    return Folded(tree_of, wrap_edges, best_columns([*sizes, extra]))


def _tree_size(order: list[str], children: dict[str | None, list[str]]) -> tuple[float, float]:
    """(width, height) of a tree in boxes and ranks, from its nodes parents first.

    Each row of answers sits side by side with each answer's own tree below
    it, and the rows stack one rank apart; so a rank can hold the answers of
    one row beside the answers' answers of the row above: the width is the
    larger of the widest row of subtrees and the fullest rank.
    """
    size: dict[str, tuple[float, float]] = {}
    rank: dict[str, int] = {order[0]: 0}
    per_rank: dict[int, int] = defaultdict(int)
    for slug in order:
        per_rank[rank[slug]] += 1
        answers = children.get(slug, [])
        width = row_length(len(answers))
        for index, answer in enumerate(answers):
            rank[answer] = rank[slug] + 1 + index // width
    for slug in reversed(order):
        answers = children.get(slug, [])
        width = row_length(len(answers))
        rows = [answers[start : start + width] for start in range(0, len(answers), width)]
        across = max((sum(size[a][0] for a in row) for row in rows), default=1.0)
        down = max(
            (depth + max(size[a][1] for a in row) for depth, row in enumerate(rows)), default=0.0
        )
        size[slug] = (max(across, 1.0), 1.0 + down)
    across, down = size[order[0]]
    return max(across, max(per_rank.values())), down


def best_columns(sizes: Sequence[tuple[float, float]]) -> int:
    """The number of grid columns whose picture comes nearest TARGET_RATIO.

    Cells are placed row by row in the order given; a grid column is as wide as
    its widest cell and a row as high as its highest, as in Graphviz's array
    packing. Trying every count is quadratic in the number of trees, and a
    map draws at most a few hundred statements.
    """
    best, best_error = 1, math.inf
    for columns in range(1, len(sizes) + 1):
        widths = [0.0] * columns
        heights: list[float] = []
        for index, (width, height) in enumerate(sizes):
            column = index % columns
            widths[column] = max(widths[column], width)
            if column == 0:
                heights.append(0.0)
            heights[-1] = max(heights[-1], height)
        across = sum(width * NODE_WIDTH + GAP for width in widths)
        ratio = across / sum(height * RANK_HEIGHT + GAP for height in heights)
        error = abs(math.log(ratio / TARGET_RATIO))
        if error < best_error:
            best, best_error = columns, error
    return best
