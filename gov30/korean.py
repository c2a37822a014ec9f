"""Korean particles chosen from the word they follow, so that no message prints "을(를)" or "이/가"."""

# The form after a final consonant, the form after a vowel.
PARTICLES = {"을": ("을", "를"), "이": ("이", "가"), "은": ("은", "는"), "과": ("과", "와"), "으로": ("으로", "로")}
# How a digit is read (일, 이, 삼 …): whether that reading ends in a consonant, and in ㄹ.
DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ"}
FINAL_RIEUL = 8
CLOSING = "'\"’”)]}」』》〉 "


def final_consonant(word: str) -> str | None:
    """The last syllable's final consonant ("" for none); None when the word does not end in Hangul or a digit."""
    last = word.rstrip(CLOSING)[-1:]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        return "" if final == 0 else "ㄹ" if final == FINAL_RIEUL else "ㅇ"  # any other consonant acts alike
    if last.isdigit():
        return DIGIT_FINAL.get(last, "")
    return None


def with_particle(word: str, particle: str) -> str:
    """``word`` followed by 을/를, 이/가, 은/는, 과/와 or (으)로 as its last syllable asks:
    ``with_particle("확정", "으로") == "확정으로"``, ``with_particle("마감", "을") == "마감을"``.
    A word ending in Latin letters or a symbol keeps the first form: the portal's names end in Hangul."""
    after_consonant, after_vowel = PARTICLES[particle]
    final = final_consonant(word)
    if particle == "으로" and final == "ㄹ":
        return word + after_vowel
    return word + (after_vowel if final == "" else after_consonant)


def quoted(name: str) -> str:
    """A name in the portal's quotes ('주요 추진실적'), ready for ``with_particle``."""
    return f"'{name}'"
