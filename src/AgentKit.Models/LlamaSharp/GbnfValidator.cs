namespace AgentKit.Models.LlamaSharp;

/// <summary>
/// Checks a GBNF grammar in managed code with the same rules as llama.cpp's grammar parser: syntax, undefined
/// rules, a missing start rule and left recursion. llama.cpp reports these by returning no sampler, which the
/// LLamaSharp 0.30 binding does not check and the process crashes; so grammars are validated here first.
/// </summary>
public static class GbnfValidator
{
    // llama.cpp refuses repetition counts above this ("exceeds sane defaults").
    private const int MaxRepetitions = 2000;

    /// <summary>Throws <see cref="ArgumentException"/> describing the first problem in <paramref name="gbnf"/>.</summary>
    /// <param name="gbnf">Grammar text in llama.cpp's GBNF syntax.</param>
    /// <param name="root">Name of the start rule.</param>
    public static void Validate(string gbnf, string root = "root")
    {
        ArgumentNullException.ThrowIfNull(gbnf);
        var parser = new Parser(gbnf);
        try
        {
            parser.ParseGrammar();
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"Invalid GBNF grammar: {ex.Message}", nameof(gbnf), ex);
        }
        parser.CheckSemantics(root);
    }

    /// <summary>True when <paramref name="gbnf"/> is valid; otherwise <paramref name="error"/> says why.</summary>
    public static bool TryValidate(string gbnf, out string? error, string root = "root")
    {
        try
        {
            Validate(gbnf, root);
            error = null;
            return true;
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>A rule element: a terminal (null) or a reference to a rule id.</summary>
    private readonly record struct Element(int? Ref);

    private sealed class Parser(string src)
    {
        private readonly Dictionary<string, int> _symbols = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];
        // rule id -> alternatives -> elements; null until the rule is defined.
        private readonly List<List<List<Element>>?> _rules = [];
        private int _pos;

        private char Current => _pos < src.Length ? src[_pos] : '\0';
        private char Peek(int offset) => _pos + offset < src.Length ? src[_pos + offset] : '\0';

        public void ParseGrammar()
        {
            SkipSpace(newlineOk: true);
            while (_pos < src.Length)
                ParseRule();
        }

        public void CheckSemantics(string root)
        {
            for (var id = 0; id < _rules.Count; id++)
            {
                if (_rules[id] is null)
                    throw new ArgumentException($"Invalid GBNF grammar: rule '{_names[id]}' is used but never defined.", "gbnf");
            }
            if (!_symbols.ContainsKey(root))
                throw new ArgumentException($"Invalid GBNF grammar: it has no '{root}' rule to start from.", "gbnf");

            var inProgress = new bool[_rules.Count];
            var mayBeEmpty = new bool[_rules.Count];
            for (var id = 0; id < _rules.Count; id++)
            {
                if (HasLeftRecursion(id, inProgress, mayBeEmpty))
                    throw new ArgumentException($"Invalid GBNF grammar: rule '{_names[id]}' is left-recursive, which llama.cpp does not support.", "gbnf");
            }
        }

        private bool HasLeftRecursion(int id, bool[] inProgress, bool[] mayBeEmpty)
        {
            if (inProgress[id])
                return true;
            inProgress[id] = true;
            var alternatives = _rules[id]!;
            if (alternatives.Any(a => a.Count == 0))
                mayBeEmpty[id] = true;
            foreach (var alternative in alternatives)
            {
                // Recurse into the leftmost reference, and past it while the referenced rule may be empty.
                foreach (var element in alternative)
                {
                    if (element.Ref is not { } target)
                        break;
                    if (HasLeftRecursion(target, inProgress, mayBeEmpty))
                        return true;
                    if (!mayBeEmpty[target])
                        break;
                }
            }
            inProgress[id] = false;
            return false;
        }

        private void ParseRule()
        {
            var name = ParseName();
            SkipSpace(newlineOk: false);
            var id = Symbol(name);
            if (!(Current == ':' && Peek(1) == ':' && Peek(2) == '='))
                throw Error($"expecting '::=' after rule name '{name}'");
            _pos += 3;
            SkipSpace(newlineOk: true);
            if (_rules[id] is not null)
                throw Error($"rule '{name}' is defined twice");
            ParseAlternates(id, name, nested: false);
            if (Current == '\r')
                _pos += Peek(1) == '\n' ? 2 : 1;
            else if (Current == '\n')
                _pos++;
            else if (_pos < src.Length)
                throw Error("expecting a newline or the end of the grammar");
            SkipSpace(newlineOk: true);
        }

        private void ParseAlternates(int id, string ruleName, bool nested)
        {
            var alternatives = new List<List<Element>> { ParseSequence(ruleName, nested) };
            while (Current == '|')
            {
                _pos++;
                SkipSpace(newlineOk: true);
                alternatives.Add(ParseSequence(ruleName, nested));
            }
            _rules[id] = alternatives;
        }

        private List<Element> ParseSequence(string ruleName, bool nested)
        {
            var sequence = new List<Element>();
            var lastSymbolStart = sequence.Count;
            while (_pos < src.Length)
            {
                var c = Current;
                if (c == '"')
                {
                    _pos++;
                    lastSymbolStart = sequence.Count;
                    while (Current != '"')
                    {
                        if (_pos >= src.Length)
                            throw Error("unterminated string literal");
                        ParseChar();
                        sequence.Add(new Element(null));
                    }
                    _pos++;
                    SkipSpace(nested);
                }
                else if (c == '[')
                {
                    _pos++;
                    if (Current == '^')
                        _pos++;
                    lastSymbolStart = sequence.Count;
                    while (Current != ']')
                    {
                        if (_pos >= src.Length)
                            throw Error("unterminated character class");
                        ParseChar();
                        if (Current == '-' && Peek(1) != ']')
                        {
                            if (Peek(1) == '\0')
                                throw Error("unterminated character range");
                            _pos++;
                            ParseChar();
                        }
                    }
                    sequence.Add(new Element(null));
                    _pos++;
                    SkipSpace(nested);
                }
                else if (IsWordChar(c))
                {
                    var name = ParseName();
                    SkipSpace(nested);
                    lastSymbolStart = sequence.Count;
                    sequence.Add(new Element(Symbol(name)));
                }
                else if (c == '(')
                {
                    _pos++;
                    SkipSpace(newlineOk: true);
                    var group = Synthesize(ruleName);
                    ParseAlternates(group, ruleName, nested: true);
                    lastSymbolStart = sequence.Count;
                    sequence.Add(new Element(group));
                    if (Current != ')')
                        throw Error("expecting ')'");
                    _pos++;
                    SkipSpace(nested);
                }
                else if (c == '.')
                {
                    lastSymbolStart = sequence.Count;
                    sequence.Add(new Element(null));
                    _pos++;
                    SkipSpace(nested);
                }
                else if (c is '*' or '+' or '?')
                {
                    _pos++;
                    SkipSpace(nested);
                    Repeat(sequence, lastSymbolStart, ruleName, c == '+' ? 1 : 0);
                }
                else if (c == '{')
                {
                    _pos++;
                    SkipSpace(nested);
                    var min = ParseInt();
                    SkipSpace(nested);
                    var max = -1;
                    if (Current == '}')
                    {
                        max = min;
                    }
                    else if (Current == ',')
                    {
                        _pos++;
                        SkipSpace(nested);
                        if (char.IsAsciiDigit(Current))
                        {
                            max = ParseInt();
                            SkipSpace(nested);
                        }
                        if (Current != '}')
                            throw Error("expecting '}'");
                    }
                    else
                    {
                        throw Error("expecting ',' or '}' in a repetition");
                    }
                    _pos++;
                    SkipSpace(nested);
                    if (max >= 0 && max < min)
                        throw Error($"repetition {{{min},{max}}} has its maximum below its minimum");
                    if (Math.Max(min, max) > MaxRepetitions)
                        throw Error($"repetition counts above {MaxRepetitions} are not supported");
                    Repeat(sequence, lastSymbolStart, ruleName, min);
                }
                else if (c is '<' or '!')
                {
                    throw Error("token references (<...>) are not supported by this validator");
                }
                else
                {
                    break;
                }
            }
            return sequence;
        }

        private void Repeat(List<Element> sequence, int lastSymbolStart, string ruleName, int min)
        {
            if (lastSymbolStart == sequence.Count)
                throw Error("a repetition operator needs an item before it");
            var item = sequence.GetRange(lastSymbolStart, sequence.Count - lastSymbolStart);
            if (min == 0)
                sequence.RemoveRange(lastSymbolStart, item.Count);
            // As llama.cpp rewrites it: S' ::= S S' | (empty). Enough for emptiness and left-recursion checks.
            var tail = Synthesize(ruleName);
            _rules[tail] = [[.. item, new Element(tail)], []];
            sequence.Add(new Element(tail));
        }

        private void ParseChar()
        {
            if (Current != '\\')
            {
                _pos += char.IsHighSurrogate(Current) ? 2 : 1;
                return;
            }
            var escape = Peek(1);
            var hexDigits = escape switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
            if (hexDigits > 0)
            {
                _pos += 2;
                for (var i = 0; i < hexDigits; i++, _pos++)
                {
                    if (!char.IsAsciiHexDigit(Current))
                        throw Error($"expecting {hexDigits} hex digits after '\\{escape}'");
                }
                return;
            }
            if (escape is not ('t' or 'r' or 'n' or '\\' or '"' or '[' or ']'))
                throw Error(escape == '\0' ? "unexpected end after '\\'" : $"unknown escape '\\{escape}'");
            _pos += 2;
        }

        private string ParseName()
        {
            var start = _pos;
            while (IsWordChar(Current))
                _pos++;
            if (_pos == start)
                throw Error("expecting a rule name");
            return src[start.._pos];
        }

        private int ParseInt()
        {
            var start = _pos;
            while (char.IsAsciiDigit(Current))
                _pos++;
            if (_pos == start)
                throw Error("expecting an integer");
            return int.TryParse(src.AsSpan(start, _pos - start), out var value) ? value : int.MaxValue;
        }

        private void SkipSpace(bool newlineOk)
        {
            while (_pos < src.Length)
            {
                var c = Current;
                if (c == '#')
                {
                    while (_pos < src.Length && Current is not ('\r' or '\n'))
                        _pos++;
                }
                else if (c is ' ' or '\t' || (newlineOk && c is '\r' or '\n'))
                {
                    _pos++;
                }
                else
                {
                    break;
                }
            }
        }

        private int Symbol(string name)
        {
            if (_symbols.TryGetValue(name, out var id))
                return id;
            id = _names.Count;
            _symbols[name] = id;
            _names.Add(name);
            _rules.Add(null);
            return id;
        }

        private int Synthesize(string ruleName) => Symbol($"{ruleName}_{_names.Count}\0"); // '\0' keeps it apart from user names

        private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

        private FormatException Error(string message)
        {
            var line = 1 + src.AsSpan(0, Math.Min(_pos, src.Length)).Count('\n');
            var lineStart = src.LastIndexOf('\n', Math.Max(0, Math.Min(_pos, src.Length) - 1)) + 1;
            return new FormatException($"{message} at line {line}, column {_pos - lineStart + 1}.");
        }
    }
}
