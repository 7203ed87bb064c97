"""Who introduced the field's landmark models, and when: a wrong date or a wrong
inventor is a wrong claim in any answer ("This is why Bengio invented the LSTM in
2003", "the Transformer, introduced in 2014").

A date is read within one sentence, an inventor within one stretch of it, and only
when the claim is unambiguous: exactly one landmark (and one year) named, nothing
negated or supposed, and a word saying that something was introduced ("introduced",
"proposed", "paper", …) or a year written right after a name ("LSTM (1997)",
"Vaswani et al. 2017"). A
sentence that names two landmarks, or says what was popular until when, is left to
the patterns: a year beside a model is often not its birth year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from content.reasons.text import Sentence, Word, lemma


@dataclass(frozen=True)
class Landmark:
    name: str  # as feedback writes it
    aliases: tuple[tuple[str, ...], ...]  # lemma sequences that name it
    years: frozenset[int]  # the years it is dated to (preprint and venue)
    authors: frozenset[str]  # surnames, as lemmas; empty: authorship is not checked
    credit: str  # "Hochreiter and Schmidhuber, 1997"


def _landmark(name: str, aliases: str, years: str, authors: str, credit: str) -> Landmark:
    return Landmark(
        name,
        tuple(tuple(alias.split()) for alias in aliases.split(",")),
        frozenset(int(year) for year in years.split()),
        frozenset(map(lemma, authors.split())),  # as the reader has them: "Peters" → "peter"
        credit,
    )


LANDMARKS = (
    _landmark("The LSTM", "lstm,long short term memory", "1997", "hochreiter schmidhuber",
              "Hochreiter and Schmidhuber, 1997; the forget gate came with Gers et al., 2000"),
    _landmark("The LSTM's forget gate", "forget gate", "1999 2000", "gers schmidhuber cummins",
              "Gers, Schmidhuber and Cummins, 1999–2000"),
    _landmark("The GRU", "gru,gated recurrent unit", "2014",
              "cho bengio bahdanau merrienboer gulcehre bougares schwenk", "Cho et al., 2014"),
    _landmark("The Transformer", "transformer,attention all need", "2017",
              "vaswani shazeer parmar uszkoreit jones gomez kaiser polosukhin",
              "Vaswani et al., “Attention Is All You Need”, 2017"),
    _landmark("Sequence-to-sequence learning", "seq2seq,sequence sequence", "2014",
              "sutskever vinyals le cho bengio", "Sutskever, Vinyals and Le, 2014"),
    _landmark("Bahdanau (additive) attention", "bahdanau attention,additive attention",
              "2014 2015", "bahdanau cho bengio", "Bahdanau, Cho and Bengio, 2014–15"),
    _landmark("Luong (multiplicative) attention", "luong attention", "2015",
              "luong", "Luong, Pham and Manning, 2015"),
    _landmark("word2vec", "word2vec,skip gram,skip-gram,skipgram,cbow", "2013", "mikolov",
              "Mikolov et al., 2013"),
    _landmark("GloVe", "glove", "2014", "pennington socher",
              "Pennington, Socher and Manning, 2014"),
    _landmark("ELMo", "elmo", "2018", "peters", "Peters et al., 2018"),
    _landmark("BERT", "bert", "2018 2019", "devlin chang lee toutanova",
              "Devlin et al., 2018 (NAACL 2019)"),
    _landmark("The Elman network", "elman network,elman rnn,simple recurrent network,srn", "1990",
              "elman", "Elman, 1990"),
    _landmark("The Jordan network", "jordan network", "1986", "jordan", "Jordan, 1986"),
    _landmark("Adam", "adam optimizer,adam optimiser", "2014 2015", "kingma ba",
              "Kingma and Ba, 2014–15"),
    _landmark("Layer normalisation", "layer norm,layernorm,layer normalization,layer normalisation",
              "2016", "ba kiros hinton", "Ba, Kiros and Hinton, 2016"),
    _landmark("The analysis of long-term dependencies",
              "simard frasconi,learn long term dependency gradient descent difficult", "1994",
              "bengio simard frasconi", "Bengio, Simard and Frasconi, 1994"),
    # "He et al." is not read (a pronoun), and so ResNet's authors are not checked
    _landmark("ResNet", "resnet,residual network", "2015 2016", "",
              "He et al., 2015 (CVPR 2016)"),
    _landmark("Highway networks", "highway network", "2015", "srivastava greff schmidhuber",
              "Srivastava, Greff and Schmidhuber, 2015"),
    _landmark("The peephole LSTM", "peephole", "2000 2002", "gers schmidhuber",
              "Gers and Schmidhuber, 2000"),
    _landmark("GPT-1", "gpt 1,original gpt", "2018", "radford narasimhan salimans sutskever",
              "Radford et al., 2018"),
    _landmark("GPT-2", "gpt 2", "2019", "radford", "Radford et al., 2019"),
    _landmark("RoBERTa", "roberta", "2019", "liu ott", "Liu et al., 2019"),
    _landmark("WordPiece", "wordpiece,word piece", "2012", "schuster nakajima",
              "Schuster and Nakajima, 2012"),
    _landmark("Byte-pair encoding for subwords", "byte pair encoding,bpe", "2015 2016",
              "sennrich haddow", "Sennrich, Haddow and Birch, 2015–16"),
    _landmark("Teacher forcing", "teacher force", "1989", "williams zipser",
              "Williams and Zipser, 1989"),
    _landmark("Scheduled sampling", "schedule sampling", "2015", "bengio vinyals jaitly shazeer",
              "Bengio et al., 2015"),
    _landmark("Gradient clipping", "gradient clipping", "2012 2013", "mikolov pascanu bengio",
              "Mikolov, 2012; Pascanu, Mikolov and Bengio, 2013"),
    _landmark("Relative position representations",
              "relative position representation,relative positional encoding,"
              "relative position encoding",
              "2018", "shaw uszkoreit vaswani", "Shaw, Uszkoreit and Vaswani, 2018"),
    _landmark("ConvS2S", "convs2s,convolutional sequence sequence", "2017",
              "gehring auli grangier yarats dauphin", "Gehring et al., 2017"),
    _landmark("GPT-3", "gpt 3", "2020", "", "Brown et al., 2020"),
    _landmark("T5", "t5", "2019 2020", "raffel", "Raffel et al., 2019 (JMLR 2020)"),
    _landmark("Rotary position embeddings (RoPE)", "rope,rotary position,roformer", "2021", "",
              "Su et al., RoFormer, 2021"),
    _landmark("Xavier (Glorot) initialisation", "xavier,glorot", "2010", "glorot bengio",
              "Glorot and Bengio, 2010"),
    _landmark("Batch normalisation", "batch norm,batchnorm,batch normalization,batch normalisation",
              "2015", "ioffe szegedy", "Ioffe and Szegedy, 2015"),
)  # fmt: skip

# Surnames of the field that a student may credit with the wrong landmark.
PEOPLE = frozenset(
    ({person for landmark in LANDMARKS for person in landmark.authors}
    | {lemma(name) for name in (
        "graves", "hinton", "lecun", "goodfellow", "karpathy", "olah", "rumelhart",
        "werbos", "jordan", "mikolov", "radford", "raffel", "kalchbrenner", "schuster",
        "paliwal", "williams", "zipser", "pascanu",
    )})
    - {"le", "jones", "lee", "chang", "ba"}  # a common word or too common a name to stand alone
)  # fmt: skip
# words that say something was introduced, for a date or an inventor to be claimed
_INTRODUCED = frozenset(
    {"introduce", "propose", "invent", "publish", "create", "develop", "design", "paper",
     "release", "appear", "come", "inventor", "originate", "debut", "bear",
     "xuat"}  # đề xuất: proposed
)  # fmt: skip
_YEAR_REACH = 1  # a year right after a name dates it: "LSTM (Hochreiter, 1997)"


def landmark_error(sentence: Sentence) -> str | None:
    """The correction, when ``sentence`` dates a landmark wrongly or one of its
    stretches credits it to the wrong person; None when it does neither, or when the
    judge cannot be sure."""
    words = sentence.words
    if any(w.negated or w.hypothetical for w in words):
        return None
    found = _named(words)
    if len(found) != 1:
        return None
    [(landmark, spans)] = found.items()
    return _wrong_year(landmark, spans, words) or next(
        filter(None, (_wrong_person(landmark, stretch) for stretch in _stretches(words))), None
    )


def _stretches(words: Sequence[Word]) -> list[list[Word]]:
    """A sentence's stretches: "Pascanu et al. clip the norm, while LSTM (1997) was
    designed for vanishing" credits nobody with the LSTM."""
    out: dict[int, list[Word]] = {}
    for word in words:
        out.setdefault(word.stretch, []).append(word)
    return list(out.values())


def _named(words: Sequence[Word]) -> dict[Landmark, list[tuple[int, int]]]:
    """Each landmark named in ``words``, with where (start, end) each naming is."""
    lemmas = [w.lemma for w in words]
    found: dict[Landmark, list[tuple[int, int]]] = {}
    for landmark in LANDMARKS:
        for alias in landmark.aliases:
            for start in range(len(lemmas) - len(alias) + 1):
                if tuple(lemmas[start : start + len(alias)]) == alias:
                    found.setdefault(landmark, []).append((start, start + len(alias)))
    return found


def _wrong_year(
    landmark: Landmark, spans: list[tuple[int, int]], words: Sequence[Word]
) -> str | None:
    years = [(k, int(w.lemma)) for k, w in enumerate(words) if _year(w.lemma)]
    if len(years) != 1:
        return None
    at, year = years[0]
    if any(w.lemma in PEOPLE - landmark.authors for w in words):
        return None  # the year of someone else's work: "Graves & Schmidhuber (2005) used LSTMs"
    # a year right after the landmark or one of its authors dates it; after anyone
    # else it dates their work ("Sutskever et al. (2014) used LSTMs")
    names = [end for _, end in spans]
    names += [k + 1 for k, w in enumerate(words) if w.lemma in landmark.authors]
    dated = any(w.lemma in _INTRODUCED for w in words) or any(
        0 <= at - end < _YEAR_REACH for end in names
    )
    if not dated or year in landmark.years:
        return None
    return f"{landmark.name} is not from {year}: {landmark.credit}."


def _wrong_person(landmark: Landmark, words: Sequence[Word]) -> str | None:
    spans = _named(words).get(landmark)
    if not spans or not landmark.authors or not any(w.lemma in _INTRODUCED for w in words):
        return None
    inside = {k for start, end in spans for k in range(start, end)}
    people = {w.lemma for k, w in enumerate(words) if w.lemma in PEOPLE and k not in inside}
    if not people or people & landmark.authors:
        return None
    who = ", ".join(sorted(name.title() for name in people))
    return f"{landmark.name} was not introduced by {who}: {landmark.credit}."


def _year(lemma: str) -> bool:
    return lemma.isdigit() and len(lemma) == 4 and 1940 <= int(lemma) <= 2035
