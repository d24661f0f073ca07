namespace LanTalk.Core.Protocol;

/// <summary>
/// The letters a search takes one at a time (docs/PROTOCOL.md, Search): scripts written without spaces between
/// words, and Hangul, whose words carry their particles. The server's index makes each such letter a token of its own,
/// and the client's search hints must agree with it, so both ask here.
/// </summary>
public static class WordlessScripts
{
    /// <summary>
    /// True for Thai, Lao, Myanmar, Khmer, kana, Bopomofo, CJK ideographs (with extensions and compatibility forms),
    /// Yi, Hangul syllables and compatibility jamo, half-width kana and Hangul. Non-letters in these blocks (CJK
    /// punctuation) are included too, harmlessly: they separate tokens anyway.
    /// </summary>
    public static bool Contains(int codePoint) => codePoint switch
    {
        >= 0x0E00 and <= 0x0EFF => true, // Thai, Lao
        >= 0x1000 and <= 0x109F => true, // Myanmar
        >= 0x1780 and <= 0x17FF => true, // Khmer
        >= 0x3040 and <= 0x9FFF => true, // kana, Bopomofo, Hangul compatibility jamo, CJK extension A, CJK ideographs
        >= 0xA000 and <= 0xA4CF => true, // Yi
        >= 0xAC00 and <= 0xD7AF => true, // Hangul syllables
        >= 0xF900 and <= 0xFAFF => true, // CJK compatibility ideographs
        >= 0xFF66 and <= 0xFFDC => true, // half-width katakana and Hangul
        >= 0x1B000 and <= 0x1B16F => true, // kana supplement and extension
        >= 0x20000 and <= 0x3FFFF => true, // CJK ideographs of planes 2 and 3
        _ => false,
    };
}
