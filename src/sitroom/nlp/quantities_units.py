"""Word tables for the quantity extractor: number words, scales, currencies, units, cues.

Unit names follow the normalized names of NewsQuant/quantulum3 ("percentage", "mile per
hour", "kilometre") so that a figure's unit can be compared across systems as is.
Keys are lower case; multi-word keys are matched token by token.
"""

from __future__ import annotations

SMALL_NUMBERS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

SCALES: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "mn": 1e6, "mln": 1e6, "mil": 1e6, "bn": 1e9, "tn": 1e12, "k": 1e3, "m": 1e6, "b": 1e9,
}

# Fractions written in words: "a third of", "two-thirds of", "one fifth of", "half the".
FRACTION_WORDS: dict[str, int] = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
    "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}

# Words that stand for a number on their own: "a dozen", "a score of".
NUMBER_NOUNS: dict[str, float] = {"dozen": 12, "score": 20}

# Plural scale words that make a vague figure: "hundreds of", "tens of thousands of".
VAGUE_PLURALS: dict[str, float] = {
    "dozens": 12, "tens": 10, "hundreds": 1e2, "thousands": 1e3,
    "millions": 1e6, "billions": 1e9, "trillions": 1e12,
}

# Currency written before the figure: symbol or code -> normalized name.
CURRENCY_PREFIXES: dict[str, str] = {
    "$": "dollar", "us$": "dollar", "usd": "dollar", "us": "dollar",
    "a$": "australian dollar", "au$": "australian dollar", "aud": "australian dollar",
    "c$": "canadian dollar", "cad": "canadian dollar", "hk$": "hong kong dollar",
    "nz$": "new zealand dollar", "s$": "singapore dollar",
    "€": "euro", "eur": "euro", "£": "pound sterling", "gbp": "pound sterling",
    "¥": "japanese yen", "jpy": "japanese yen", "cny": "chinese yuan", "rmb": "chinese yuan",
    "₩": "south korean won", "krw": "south korean won", "₽": "russian ruble", "rub": "russian ruble",
    "₴": "ukrainian hryvnia", "uah": "ukrainian hryvnia", "₹": "indian rupee", "rs": "indian rupee",
    "inr": "indian rupee", "rm": "malaysian ringgit", "₪": "shekel", "nis": "shekel", "chf": "swiss franc",
}

# Currency signs as ASCII transliteration writes them ("£" -> "PS", "¥" -> "Y="), in texts
# folded to ASCII; read only when glued to the number ("PS2.7m"), never as words.
ASCII_CURRENCY_SIGNS: dict[str, str] = {"PS": "pound sterling", "Y=": "japanese yen"}

# Currency written after the figure: word (lower case, singular or plural) -> normalized name.
CURRENCY_WORDS: dict[str, str] = {
    "dollar": "dollar", "dollars": "dollar", "us dollars": "dollar", "u.s. dollars": "dollar",
    "australian dollars": "australian dollar", "australian dollar": "australian dollar",
    "canadian dollars": "canadian dollar", "hong kong dollars": "hong kong dollar",
    "new zealand dollars": "new zealand dollar", "singapore dollars": "singapore dollar",
    "euro": "euro", "euros": "euro", "pound sterling": "pound sterling", "sterling": "pound sterling",
    "chinese yuan": "chinese yuan", "japanese yen": "japanese yen", "south korean won": "south korean won",
    "korean won": "south korean won", "russian rubles": "russian ruble", "russian roubles": "russian ruble",
    "ukrainian hryvnias": "ukrainian hryvnia", "ukrainian hryvnia": "ukrainian hryvnia",
    "british pounds": "pound sterling", "pounds sterling": "pound sterling", "indian rupees": "indian rupee",
    "yen": "japanese yen", "yuan": "chinese yuan", "renminbi": "chinese yuan",
    "won": "south korean won", "ruble": "russian ruble", "rubles": "russian ruble",
    "roubles": "russian ruble", "rouble": "russian ruble", "hryvnia": "ukrainian hryvnia",
    "hryvnias": "ukrainian hryvnia", "hryvnas": "ukrainian hryvnia", "rupees": "indian rupee",
    "rupee": "indian rupee", "ringgit": "malaysian ringgit", "shekels": "shekel", "shekel": "shekel",
    "francs": "swiss franc", "swiss francs": "swiss franc", "lira": "turkish lira", "rand": "south african rand",
    "cents": "cent", "cent": "cent", "pence": "penny", "p": "penny", "sen": "sen", "bitcoin": "bitcoin",
    "danish crowns": "danish krone", "danish kroner": "danish krone", "swedish kronor": "swedish krona",
    "norwegian kroner": "norwegian krone",
    "usd": "dollar", "jpy": "japanese yen", "eur": "euro", "gbp": "pound sterling", "cny": "chinese yuan",
    "krw": "south korean won", "rub": "russian ruble", "uah": "ukrainian hryvnia", "kn": "croatian kuna",
    "kuna": "croatian kuna", "€": "euro", "pesos": "peso", "riyals": "riyal", "dinars": "dinar",
    "naira": "nigerian naira",
}

# Measures: word or abbreviation -> normalized unit name.
UNIT_WORDS: dict[str, str] = {
    "%": "percentage", "percent": "percentage", "per cent": "percentage", "pc": "percentage",
    "percentage points": "percentage point", "percentage point": "percentage point",
    "basis points": "basis point", "basis point": "basis point", "bps": "basis point",
    "points": "point", "point": "point", "pts": "point",
    "km": "kilometre", "kms": "kilometre", "kilometres": "kilometre", "kilometers": "kilometre",
    "kilometre": "kilometre", "kilometer": "kilometre",
    "m": "metre", "metres": "metre", "meters": "metre", "metre": "metre", "meter": "metre",
    "cm": "centimetre", "centimetres": "centimetre", "centimeters": "centimetre",
    "mm": "millimetre", "millimetres": "millimetre", "millimeters": "millimetre",
    "nm": "nanometre", "nanometres": "nanometre", "nanometers": "nanometre",
    "micrometres": "micrometre", "micrometers": "micrometre", "microns": "micrometre", "µm": "micrometre",
    "miles": "mile", "mile": "mile", "mi": "mile", "yards": "yard", "yard": "yard", "yds": "yard",
    "feet": "foot", "foot": "foot", "ft": "foot", "inches": "inch", "inch": "inch",
    "square metres": "square metre", "square meters": "square metre", "sq m": "square metre",
    "m2": "square metre", "sqm": "square metre", "square kilometres": "square kilometre",
    "square kilometers": "square kilometre", "sq km": "square kilometre", "km2": "square kilometre",
    "square miles": "square mile", "square feet": "square foot", "sq ft": "square foot",
    "square foot": "square foot", "square metre": "square metre", "square meter": "square metre",
    "acres": "acre", "acre": "acre", "hectares": "hectare", "hectare": "hectare", "ha": "hectare",
    "kg": "kilogram", "kilograms": "kilogram", "kilos": "kilogram", "g": "gram", "grams": "gram",
    "mg": "milligram", "milligrams": "milligram", "lbs": "pound-mass", "lb": "pound-mass",
    "pounds": "pound-mass", "pound": "pound-mass", "ounces": "ounce", "oz": "ounce",
    "tons": "ton", "ton": "ton", "tonnes": "metric ton", "tonne": "metric ton", "t": "metric ton",
    "gigatons": "gigaton", "gigatonnes": "gigaton", "megatons": "megaton",
    "litres": "litre", "liters": "litre", "litre": "litre", "liter": "litre", "l": "litre",
    "ml": "millilitre", "millilitres": "millilitre", "milliliters": "millilitre",
    "gallons": "gallon", "gallon": "gallon", "barrels": "barrel", "barrel": "barrel",
    "bpd": "barrel per day", "cubic metres": "cubic metre", "cubic meters": "cubic metre",
    "mph": "mile per hour", "m.p.h": "mile per hour", "m.p.h.": "mile per hour", "km/hr": "kilometre per hour",
    "μm": "micrometre", "millimeter": "millimetre", "millimetre": "millimetre", "centimeter": "centimetre",
    "mmbtu": "mega british thermal unit", "kt": "knot", "ppg": "point per game", "rpg": "rebound per game",
    "apg": "assist per game", "td": "touch down", "tds": "touch down", "gigapascals": "gigapascal",
    "megapascals": "megapascal", "€": "euro", "kph": "kilometre per hour", "km/h": "kilometre per hour",
    "kmh": "kilometre per hour", "knots": "knot", "m/s": "metre per second",
    "mpg": "mile per gallon", "rpm": "revolutions per minute",
    "gb": "gigabyte", "tb": "terabyte", "mb": "megabyte", "kb": "kilobyte",
    "mbps": "megabit per second", "gbps": "gigabit per second",
    "ghz": "gigahertz", "mhz": "megahertz", "khz": "kilohertz", "hz": "hertz",
    "hp": "horsepower", "horsepower": "horsepower", "bhp": "brake horsepower",
    "w": "watt", "watts": "watt", "watt": "watt", "kw": "kilowatt", "kilowatts": "kilowatt",
    "kilowatt": "kilowatt", "mw": "megawatt", "megawatts": "megawatt", "megawatt": "megawatt",
    "gw": "gigawatt", "gigawatts": "gigawatt", "gigawatt": "gigawatt", "calories": "calorie",
    "kcal": "kilocalorie", "″": "inch", "′": "foot",
    "kwh": "kilowatt hour", "mwh": "megawatt hour", "gwh": "gigawatt hour", "twh": "terawatt hour",
    "mah": "milliampere-hour", "volts": "volt", "v": "volt", "kv": "kilovolt",
    "degrees celsius": "celsius", "degrees fahrenheit": "fahrenheit", "celsius": "celsius",
    "fahrenheit": "fahrenheit", "°c": "celsius", "°f": "fahrenheit", "c": "celsius", "f": "fahrenheit",
    "degc": "celsius", "degf": "fahrenheit", "deg c": "celsius", "deg f": "fahrenheit",  # "°" folded to ASCII
    "degrees": "degree", "degree": "degree", "°": "degree",
    "ppm": "part per million", "parts per million": "part per million",
    "ppb": "parts-per-billion", "parts per billion": "parts-per-billion",
    "gpa": "gigapascal", "mpa": "megapascal", "kpa": "kilopascal", "ksi": "kilopound per square inch",
    "pound-feet": "pound-foot", "pound-foot": "pound-foot", "lb-ft": "foot pound-force",
    "newton metres": "newton metre", "newton meters": "newton metre",
    "decibels": "decibel", "db": "decibel",
    "seconds": "second", "second": "second", "secs": "second", "minutes": "minute", "minute": "minute",
    "mins": "minute", "min": "minute", "hours": "hour", "hour": "hour", "hrs": "hour", "days": "day", "day": "day",
    "weeks": "week", "week": "week", "months": "month", "month": "month", "years": "year", "year": "year",
    "decades": "decade", "decade": "decade", "centuries": "century", "century": "century",
}

# Units of time: a figure with one of these is a duration, or an age with "old".
TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}

# Abbreviations that only count as a unit when written straight after the digits ("5km", "256GB")
# or right after a figure; single letters are too ambiguous to read after a space.
SPACE_AMBIGUOUS_UNITS = {"m", "g", "t", "l", "c", "f", "w", "v", "b", "k", "p", "mi", "ha", "pc", "db", "nm"}

# "per X" / "a X" after a unit: "dollars per barrel", "percent a year".
PER_WORDS = {"per", "a", "an", "/", "each"}

# Bounds read from the words before a figure (longest first when matched).
BOUND_CUES: dict[str, str] = {
    "about": "approx", "around": "approx", "roughly": "approx", "approximately": "approx",
    "nearly": "approx", "almost": "approx", "some": "approx", "circa": "approx", "ca.": "approx",
    "an estimated": "approx", "estimated": "approx", "close to": "approx", "just about": "approx",
    "or so": "approx", "~": "approx", "nearly all": "approx", "upwards of": "more_than",
    "at least": "at_least", "no fewer than": "at_least", "no less than": "at_least",
    "not less than": "at_least", "a minimum of": "at_least", "at a minimum": "at_least",
    "more than": "more_than", "over": "more_than", "above": "more_than", "in excess of": "more_than",
    "exceeding": "more_than", "just over": "more_than", "well over": "more_than", "beyond": "more_than",
    "up to": "at_most", "no more than": "at_most", "at most": "at_most", "not more than": "at_most",
    "a maximum of": "at_most", "as many as": "at_most", "as much as": "at_most",
    "less than": "less_than", "fewer than": "less_than", "under": "less_than", "below": "less_than",
    "just under": "less_than", "just below": "less_than", "short of": "less_than",
    "a total of": "exact", "exactly": "exact", "precisely": "exact", "just": "exact", "only": "exact",
}

# Verbs and adverbs whose amount ("rose 5%", "fell by 3", "up 19 cents") is a change.
UP_WORDS = {
    "rise", "increase", "grow", "gain", "climb", "jump", "soar", "surge", "advance", "rally",
    "boost", "raise", "up", "expand", "spike", "improve", "double", "lift", "higher", "widen",
}
DOWN_WORDS = {
    "fall", "drop", "decline", "decrease", "slip", "shrink", "plunge", "tumble", "sink", "slide",
    "lose", "cut", "reduce", "down", "lower", "dip", "ease", "slump", "contract", "plummet", "shed",
    "retreat", "narrow", "crash",
}

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}

# Words before a number that make it a label, not a figure: "Article 5", "No. 3".
# The last word of a street name: "49 Zorro Ranch Road", "9 E 71st St".
STREET_WORDS = {
    "street", "st", "st.", "road", "rd", "rd.", "avenue", "ave", "ave.", "way", "boulevard", "blvd", "blvd.",
    "lane", "ln", "drive", "dr", "dr.", "place", "pl", "court", "ct", "terrace", "square", "sq", "parkway",
}

LABEL_WORDS = {
    "article", "section", "part", "chapter", "clause", "paragraph", "rule", "resolution", "no", "no.",
    "number", "page", "p.", "pp.", "figure", "table", "item", "row", "seat", "room", "flight", "route",
    "game", "level", "phase", "stage", "round", "week", "day", "act", "amendment", "title", "vol", "vol.",
    "volume", "episode", "season", "lane", "gate", "platform", "highway", "interstate", "apartment",
    "unit", "building", "block", "line", "bus", "step", "grade", "class", "category", "type", "model",
    "version", "v", "mark", "mk", "model", "tier", "zone", "district", "ward", "precinct", "sector",
}

# Unit abbreviations whose case decides them: "450 Nm" is torque, "5 nm" a length; "300 PS" is
# metric horsepower; "5G" a wireless generation.
CASED_UNITS: dict[str, str] = {"Nm": "newton metre", "PS": "horsepower", "G": "generation wireless",
                               "MW": "megawatt", "GW": "gigawatt", "kW": "kilowatt"}

# Verbs that make "pounds" money rather than weight: "paid 450 pounds".
MONEY_VERBS = {"pay", "cost", "spend", "earn", "fine", "sell", "buy", "raise", "charge", "owe", "lend", "borrow",
               "invest", "donate", "receive", "save", "win", "bet", "price", "value", "worth", "fund", "award"}
