/**
 * Small doctested functions that are not copies of one another (nor of a benchmark task): a folder made
 * of them keeps every function through dedup and decontamination (checked in core/screen/decontaminate.test.ts),
 * so a test can count on all of them becoming samples.
 */
export const DISTINCT_FUNCTIONS: readonly { name: string; source: string }[] = [
  {
    // Not `" ".join(reversed(s.split()))`, reversing words: that is MBPP/604's solution.
    name: 'snake_to_kebab',
    source: `def snake_to_kebab(name):\n    """Turn a snake_case name into kebab-case, without leading or trailing dashes.\n\n    >>> snake_to_kebab("_max_line_length")\n    'max-line-length'\n    """\n    return name.strip("_").replace("_", "-")\n`,
  },
  {
    name: 'count_vowels',
    source: `def count_vowels(text):\n    """Count the vowels in text, ignoring case.\n\n    >>> count_vowels("Banana")\n    3\n    """\n    return sum(1 for ch in text.lower() if ch in "aeiou")\n`,
  },
  {
    name: 'fib',
    source: `def fib(n):\n    """The n-th Fibonacci number, counting from fib(0) == 0.\n\n    >>> fib(10)\n    55\n    """\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n`,
  },
  {
    name: 'gcd',
    // Not HumanEval/13's loop (`while b: a, b = b, a % b`): that would be a benchmark copy.
    source: `def gcd(a, b):\n    """Greatest common divisor by Euclid's algorithm.\n\n    >>> gcd(84, 36)\n    12\n    """\n    return abs(a) if b == 0 else gcd(b, a % b)\n`,
  },
  {
    name: 'flatten',
    source: `def flatten(nested):\n    """Flatten one level of nesting of a list of lists.\n\n    >>> flatten([[1, 2], [3], []])\n    [1, 2, 3]\n    """\n    out = []\n    for inner in nested:\n        out.extend(inner)\n    return out\n`,
  },
  {
    name: 'chunks',
    source: `def chunks(items, size):\n    """Split items into lists of at most size elements.\n\n    >>> chunks([1, 2, 3, 4, 5], 2)\n    [[1, 2], [3, 4], [5]]\n    """\n    return [items[i:i + size] for i in range(0, len(items), size)]\n`,
  },
  {
    name: 'to_fahrenheit',
    source: `def to_fahrenheit(celsius):\n    """Convert degrees Celsius to Fahrenheit.\n\n    >>> to_fahrenheit(100)\n    212.0\n    """\n    return celsius * 9 / 5 + 32.0\n`,
  },
  {
    name: 'running_max',
    source: `def running_max(values):\n    """The largest value seen so far, at each position.\n\n    >>> running_max([3, 1, 4, 1, 5])\n    [3, 3, 4, 4, 5]\n    """\n    best = None\n    result = []\n    for v in values:\n        best = v if best is None or v > best else best\n        result.append(best)\n    return result\n`,
  },
  {
    name: 'unique_in_order',
    source: `def unique_in_order(seq):\n    """Drop repeated elements, keeping the first of each in order.\n\n    >>> unique_in_order("abracadabra")\n    ['a', 'b', 'r', 'c', 'd']\n    """\n    seen = set()\n    kept = []\n    for element in seq:\n        if element not in seen:\n            seen.add(element)\n            kept.append(element)\n    return kept\n`,
  },
  {
    name: 'initials',
    source: `def initials(full_name):\n    """The capitalised initials of a name, with dots.\n\n    >>> initials("ada king lovelace")\n    'A.K.L.'\n    """\n    return "".join(part[0].upper() + "." for part in full_name.split())\n`,
  },
  {
    name: 'digit_sum',
    source: `def digit_sum(number):\n    """Sum of the decimal digits of a non-negative integer.\n\n    >>> digit_sum(9045)\n    18\n    """\n    total = 0\n    while number > 0:\n        number, digit = divmod(number, 10)\n        total += digit\n    return total\n`,
  },
  {
    name: 'histogram',
    source: `def histogram(words):\n    """How many times each word occurs, as a dict sorted by word.\n\n    >>> histogram(["b", "a", "b"])\n    {'a': 1, 'b': 2}\n    """\n    counts = {}\n    for word in words:\n        counts[word] = counts.get(word, 0) + 1\n    return dict(sorted(counts.items()))\n`,
  },
];
