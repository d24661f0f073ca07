#!/usr/bin/perl
# Writes server/Users/ComposedForm.Table.cs (the data of ComposedForm, the NFC check of new names) from Perl's Unicode
# Character Database: the Basic Multilingual Plane ranges with NFC_Quick_Check=No, and every pair (character, mark)
# that canonical composition joins, where the mark has NFC_Quick_Check=Maybe (Hangul is left out: it composes by
# arithmetic). Usage: perl scripts/gen-composed-form.pl > server/Users/ComposedForm.Table.cs
use strict; use warnings;
use Unicode::Normalize qw(getComposite);
use Unicode::UCD;

sub surrogate { my ($c) = @_; return $c >= 0xD800 && $c <= 0xDFFF }

my @no; my $start;
for my $c (0 .. 0x10000) {
    my $in = $c < 0x10000 && !surrogate($c) && chr($c) =~ /\p{NFC_QC=N}/;
    if ($in && !defined $start) { $start = $c }
    elsif (!$in && defined $start) { push @no, [$start, $c - 1]; undef $start }
}

my @pairs;
for my $m (0 .. 0xFFFF) {
    next if surrogate($m) || chr($m) !~ /\p{NFC_QC=M}/;
    for my $s (0 .. 0xFFFF) {
        next if surrogate($s) || ($s >= 0x1100 && $s <= 0x1112) || ($s >= 0xAC00 && $s <= 0xD7A3);
        push @pairs, sprintf('\\u%04X\\u%04X', $s, $m) if defined getComposite($s, $m);
    }
}

my @lines = ('');
for my $p (@pairs) {
    push @lines, '' if length($lines[-1]) + length($p) > 96;
    $lines[-1] .= $p;
}

my $version = Unicode::UCD::UnicodeVersion();
print <<"END";
namespace LanTalk.Server.Users;

/// <summary>
/// The data of <see cref="ComposedForm"/>, written by scripts/gen-composed-form.pl from Perl's Unicode Character
/// Database (Unicode $version: NFC_Quick_Check and the canonical compositions). Run the script again to update it;
/// do not edit by hand.
/// </summary>
internal static partial class ComposedForm
{
    /// <summary>Basic Multilingual Plane ranges with NFC_Quick_Check=No: characters NFC never leaves as they are.</summary>
    private static readonly (int First, int Last)[] NeverInNfc =
    [
END
printf "        (0x%04X, 0x%04X),\n", @$_ for @no;
print <<"END";
    ];

    /// <summary>
    /// Every pair (character, following mark) that canonical composition joins into one character, two UTF-16 units
    /// each; Hangul, which composes by arithmetic, is not listed.
    /// </summary>
    private const string ComposingPairs =
END
print join("\n", map { ($_ == 0 ? '        "' : '        + "') . $lines[$_] . '"' } 0 .. $#lines), ";\n}\n";
