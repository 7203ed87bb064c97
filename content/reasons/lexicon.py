"""The words that carry structure rather than content, in English and Vietnamese.

Vietnamese words are compared without their diacritics (students type both
"không" and "khong"); the Vietnamese function words are listed with them, so that
a word typed with diacritics is not taken for another ("trọng" is not "trong").
"""

from __future__ import annotations

import unicodedata

# Cues that deny what follows them in the same clause.
NEGATIONS = frozenset(
    {
        "not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "without",
        "hardly", "barely", "scarcely", "cannot", "non",
    }
)  # fmt: skip

# Words that end one clause and start the next: a negation does not reach past them.
CONNECTIVES = frozenset(
    {
        "but", "although", "though", "however", "whereas", "while", "yet", "because",
        "since", "so", "therefore", "thus", "hence", "and", "or", "then", "whereby", "implies",
        "meaning", "instead", "unless", "except", "if",
    }
)  # fmt: skip

# Function words: they glue a statement together but are no evidence of an idea.
STOPWORDS = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "those", "it", "its", "they", "them",
        "their", "there", "here", "we", "us", "our", "you", "your", "i", "me", "my", "he",
        "she", "one's",
        "be", "is", "are", "was", "were", "been", "being", "am", "do", "does", "did",
        "have", "has", "had", "will", "would", "shall", "should", "can", "could", "may",
        "might", "must", "get", "got", "let",
        "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "as",
        "than", "about", "per", "which", "who", "whom", "whose", "what", "when", "where", "why",
        "how", "also", "just", "very", "really", "quite", "then", "too", "well", "even",
        "any", "some", "such",
        "both", "either", "like", "basically",
        "actually", "because", "since", "so", "and", "or", "but", "if", "else", "thus",
        "hence", "therefore", "while", "although", "though", "yet", "however", "whereas",
        "already", "again", "ever", "it's", "that's", "i'm", "idk", "hmm", "ok", "okay",
        "yes", "true", "false", "right", "statement", "reason",
        "bc", "bcs", "coz", "cuz", "b/c", "wrt", "ie", "etc", "lol",
    }
)  # fmt: skip

# Vietnamese, written with diacritics: a word typed with them is compared with these
# only ("trọng" is not "trong"); a word typed without them, with these stripped too.
VI_NEGATIONS = frozenset({"không", "chẳng", "chả", "chưa", "ko", "hông"})
VI_CONNECTIVES = frozenset(
    {"nhưng", "vì", "nên", "và", "hoặc", "mà", "tuy", "nếu", "thì", "vậy", "do", "bởi"}
)
VI_STOPWORDS = frozenset(
    {
        "là", "thì", "và", "của", "nên", "vì", "bị", "được", "có", "sẽ", "đã", "đang", "các",
        "những", "một", "cho", "với", "khi", "nếu", "mà", "này", "đó", "đấy", "rất", "cũng",
        "vẫn", "còn", "nữa", "ra", "vào", "lên", "tại", "ở", "đến", "từ", "trong", "như",
        "hơn", "rồi", "vậy", "đúng", "sai", "ấy", "kia", "nào", "gì", "ai", "mình", "ta",
        "chúng", "nhiều", "hay", "hoặc", "tuy", "nó", "họ", "em", "anh", "chị", "tôi", "cái",
        "người", "việc", "sự", "điều", "nhé", "ạ", "à", "nhỉ", "luôn", "thể", "phải", "hết",
    }
)  # fmt: skip

# Words that make a clause a supposition rather than a claim ("if", "nếu"). Not "would":
# "what would happen if s = 1?" is answered with "the variance would grow".
HYPOTHETICAL = frozenset(
    {
        "if", "suppose", "assume", "unless", "whether",
        "neu", "nếu", "giả",
    }
)  # fmt: skip
# Words that make a clause a requirement: it can state a claim but denies none.
MODAL = frozenset({"need", "require", "want", "cần", "phải"})

# Relations typed as symbols: they make a telegraphic line a statement.
RELATIONS = frozenset({"approx", "eq", "neq", "lt", "gt", "le", "ge", "implies"})

# A verdict word typed with a slip, and the word meant.
VERDICT_WORDS = {
    "true": True, "t": True, "yes": True, "y": True, "tru": True, "ture": True, "treu": True,
    "correct": True, "right": True, "yep": True, "yeah": True, "yup": True,
    "false": False, "f": False, "no": False, "n": False, "flase": False, "fasle": False,
    "fales": False, "fals": False, "wrong": False, "incorrect": False, "nope": False,
    "nah": False,
    # Vietnamese: đúng, sai (with or without diacritics)
    "dung": True, "sai": False,
    # exchange students' own words first: "Faux — euh, False", "Vrai/True"
    "vrai": True, "faux": False, "verdadero": True, "falso": False, "wahr": True,
    "falsch": False, "vero": True, "richtig": True,
    # a peer reviewer's verdict on the statement: "Agree, true", "I'd disagree — False"
    "agree": True, "agreed": True, "disagree": False, "disagreed": False,
}  # fmt: skip

# Sounds of hesitation, before a verdict or between a verdict and its repetition
# ("Faux — euh, False").
HESITATIONS = frozenset({"um", "uh", "euh", "eh"})
# What students type before a verdict ("hmm i think it's true").
# Words in quotation marks, as students type them: the body is group 1 where it is one
QUOTED = r"[\"“”«]([^\"“”«»]{1,300})[\"“”»]"

VERDICT_FILLERS = HESITATIONS | frozenset(
    {
        "hmm", "hm", "well", "ok", "okay", "so", "i", "think", "guess", "believe", "would",
        "say", "d", "it", "its", "s", "is", "that", "thats", "the", "statement",
        "answer", "my", "this", "probably", "definitely", "i'd", "it's", "that's", "em",
        "nghi", "la", "cau", "nay", "toi", "minh", "sure", "certain", "but", "maybe",
        "pretty", "fairly", "quite", "im", "i'm", "am",
        "chac", "co", "le", "hinh", "nhu",  # chắc là, có lẽ, hình như: hedges
        "actually", "honestly", "claim",
        # how sure the student is: "I'd bet on true", "leaning false", "90% sure false",
        # "going with true", "my money's on false"
        "bet", "leaning", "lean", "towards", "toward", "confident", "going", "go", "money's",
        "vote", "%", "verdict",
    }
)  # fmt: skip

# Concepts every lab may use in its patterns as {name}; a lab or problem may redefine them.
DEFAULT_CONCEPTS: dict[str, list[str]] = {
    "near": [
        "approx", "near", "close", "around", "roughly", "almost", "nearly", "approximately",
        "essentially", "tend", "approach", "gần", "xấp xỉ", "khoảng", "tiến",
    ],
    "equal": ["eq", "equal", "same", "identical", "exactly", "bằng", "giống"],
    "small": ["small", "tiny", "little", "low", "negligible", "nhỏ", "thấp"],
    "large": ["large", "big", "huge", "high", "lớn", "cao"],
    "grow": ["grow", "increase", "rise", "larger", "bigger", "blow up", "explode", "tăng"],
    "shrink": [
        "shrink", "decrease", "decay", "drop", "diminish", "vanish", "smaller", "giảm",
    ],
    "change": ["change", "update", "modify", "alter", "differ", "thay đổi", "cập nhật"],
    "depend": ["depend", "function of", "affect", "influence", "phụ thuộc", "ảnh hưởng"],
}  # fmt: skip

# Vietnamese content words read as their English equivalents, in patterns and texts
# alike, so that an author's English pattern also hears a Vietnamese answer. Typed
# without diacritics, only compounds that cannot be read another way are listed.
VI_TO_EN = {
    "phụ thuộc": "depend", "độc lập": "independent", "trọng số": "weight",
    "bất kể": "regardless", "bat ke": "regardless", "nội dung": "content",
    "đầu vào": "input", "đầu ra": "output", "trạng thái": "state", "ứng viên": "candidate",
    # "vào" and "ra" alone are function words: the gates' names are read whole (not
    # "cong vao" without diacritics, which is as often "cộng vào", added to)
    "cổng vào": "input gate", "cổng ra": "output gate", "cổng quên": "forget gate",
    "cổng cập nhật": "update gate", "cong quen": "forget gate", "cong cap nhat": "update gate",
    "dau vao": "input", "dau ra": "output", "gần bằng": "approx", "gan bang": "approx",
    "gần bằng nhau": "nearly equal", "gan bang nhau": "nearly equal",
    "gan": "near", "di qua": "pass through",
    "bão hòa": "saturate", "bão hoà": "saturate", "phương sai": "variance",
    "vị trí": "position", "thứ tự": "order", "hoán vị": "permute", "đổi chỗ": "reorder",
    "bỏ qua": "ignore", "không đổi": "unchanged", "ví dụ": "example", "tiêu biến": "vanish",
    "triệt tiêu": "vanish", "luôn": "always",
    "bùng nổ": "explode", "không ổn định": "unstable", "bất ổn": "unstable",
    "đường khác": "another path", "đi qua": "pass through",
    "trung bình": "average", "dữ liệu": "data", "bản sao": "copy", "mô hình": "model",
    "đầy đủ": "full",
    "lan truyền": "propagate", "ngưỡng": "threshold", "chỉ": "only", "nhỏ": "small",
    "lớn": "large", "phần lớn": "most", "tăng": "increase", "giảm": "decrease", "quên": "forget",
    "nhớ": "remember", "giữ": "keep", "mất": "lose", "cổng": "gate", "tổng": "sum",
    "xác suất": "probability", "thay đổi": "change", "ma trận": "matrix",
    "tuyến tính": "linear", "phép quay": "rotation", "xoay": "rotate", "quay": "rotate",
    "ngữ cảnh": "context", "truy vấn": "query", "khóa": "key", "khoá": "key",
    "giá trị": "value", "tích vô hướng": "dot product", "đồng tham chiếu": "coreference",
    "cú pháp": "syntax", "dương": "positive", "xấp xỉ": "approx", "gần": "near",
    "cấp số mũ": "exponential", "hàm mũ": "exponential", "cấp số nhân": "exponential",
    "tăng vọt": "increase", "chi": "only", "ô nhớ": "cell", "lỗi": "error",
    "đạo hàm": "derivative", "dài hạn": "long term", "ngắn hạn": "short term",
    "học": "learn", "không gian": "space", "song song": "parallel", "cần": "need",
    "bước": "step", "độ dài": "length", "chuỗi": "sequence", "quan hệ": "relation",
    "lan ngược": "backpropagate", "số vô hướng": "scalar",
    "cùng lúc": "simultaneously", "khác nhau": "different", "riêng": "own", "mỗi": "each",
    "phu thuoc": "depend", "doc lap": "independent", "trong so": "weight",
    "trang thai": "state", "ung vien": "candidate", "bao hoa": "saturate",
    "phuong sai": "variance", "tieu bien": "vanish", "bung no": "explode",
    "lan truyen": "propagate", "xac suat": "probability", "thay doi": "change",
    "ma tran": "matrix", "tuyen tinh": "linear", "dao ham": "derivative",
    "dai han": "long term", "ngu canh": "context", "truy van": "query",
    "khong gian": "space", "cung luc": "simultaneously",
    "khac nhau": "different", "vi tri": "position", "thu tu": "order", "doi cho": "reorder",
    "nguong": "threshold", "khong on dinh": "unstable", "duong khac": "another path",
    "trung binh": "average", "du lieu": "data", "ban sao": "copy", "mo hinh": "model",
    # "chi phí" is a cost, not "only" + "phí"; "không âm" is non-negative
    "chi phí": "cost", "chi phi": "cost", "không âm": "nonnegative", "khong am": "nonnegative",
    "ko am": "nonnegative",
    "âm": "negative", "chú ý": "attend", "chu y": "attend", "luon": "always",
    "vẫn còn": "still", "van con": "still", "lớn hơn": "greater", "lon hon": "greater",
}  # fmt: skip


def strip_diacritics(text: str) -> str:
    """ "Đúng" → "Dung": Vietnamese typed with or without its marks reads the same."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
