"""Text a member could type on any platform, for the property tests of every adapter.

Random text, control and format characters, injection attempts, text far
beyond every limit, and what only makes trouble on one platform: its pings and
markup (given by each adapter's tests), and the other platform's, which must
read as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st


def typed_text(trouble: Sequence[str], repeated: str) -> st.SearchStrategy[str]:
    """Anything a member could type; `trouble` is the platform's own hard cases.

    `repeated` is a short piece that, repeated up to 100,000 characters, makes
    a text far past every limit out of what is hardest to cut (combining marks,
    a ping, an entity).
    """
    return st.one_of(
        st.text(max_size=200),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
        st.text(
            alphabet=st.characters(categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Mn")), max_size=30
        ),
        st.sampled_from(
            [
                "",
                " ",
                *trouble,
                "'; DROP TABLE statements; --",
                "Robert'); DELETE FROM revisions WHERE ('1'='1",
                "\u202egninrow\u202c \u200b\u200d\ufeff \u2066rtl\u2069",
                "lag",
                "to:lag",
                "x" * 100_000,
                (repeated * (100_000 // len(repeated) + 1))[:100_000],
            ]
        ),
    )
