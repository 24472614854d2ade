using System.Text;
using AgentKit.Fuzzing.Guidance;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class SampleDocumentsTests
{
    private static List<string> Pieces(string document, int maxBytes) =>
        SampleDocuments.Pieces(Encoding.UTF8.GetBytes(document), maxBytes).Select(Encoding.UTF8.GetString).ToList();

    [Fact]
    public void Whole_lines_go_together_while_they_fit()
    {
        Assert.Equal(["<p>a</p>\n<p>b</p>", "<table>"], Pieces("<p>a</p>\n<p>b</p>\n<table>\n", 18)); // without the last line end
        Assert.Equal(["one", "two"], Pieces("one\r\ntwo", 5));
        Assert.Equal(["one\ntwo"], Pieces("one\ntwo", 100));
    }

    [Fact]
    public void A_longer_line_gives_its_start_ending_on_a_whole_character()
    {
        Assert.Equal(["{\"when\":\"2012-", "next"], Pieces("{\"when\":\"2012-03-21T05:40:00Z\"}\nnext\n", 14));
        // "é" is two bytes: a cut inside it moves back before it.
        Assert.Equal(["ab"], Pieces("abé", 3));
        Assert.Equal(["abé"], Pieces("abé", 4));
    }

    [Fact]
    public void White_space_alone_is_no_piece_and_bytes_that_are_not_text_stay_bytes()
    {
        Assert.Empty(Pieces("\n  \n\t\r\n", 3));
        Assert.Equal(["a", "b"], Pieces("a\n\n\n\nb\n", 2));
        Assert.Equal([new byte[] { 0x85, 0xA0 }], SampleDocuments.Pieces([0x85, 0xA0, 0xFF], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleDocuments.Pieces([], 0).ToList());
    }

    [Fact]
    public void A_folder_gives_each_files_pieces_in_path_order_and_a_missing_one_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("agentkit-documents-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "b"));
        File.WriteAllText(Path.Combine(dir, "b", "page.html"), "<b>x</b>\n");
        File.WriteAllText(Path.Combine(dir, "a.json"), "[1,\n2]\n");
        File.WriteAllText(Path.Combine(dir, "empty.txt"), "");

        Assert.Equal(["[1,\n2]", "<b>x</b>"], SampleDocuments.Read(dir, 9).Select(Encoding.UTF8.GetString));
        Assert.Throws<DirectoryNotFoundException>(() => SampleDocuments.Read(Path.Combine(dir, "none")));
    }

    [Fact]
    public void A_piece_that_several_pages_share_is_read_once()
    {
        var dir = Directory.CreateTempSubdirectory("agentkit-documents-").FullName;
        File.WriteAllText(Path.Combine(dir, "1.html"), "<head>\n</head>\n<p>one</p>\n");
        File.WriteAllText(Path.Combine(dir, "2.html"), "<head>\n</head>\n<p>two</p>\n");

        Assert.Equal(["<head>\n</head>", "<p>one</p>", "<p>two</p>"], SampleDocuments.Read(dir, 16).Select(Encoding.UTF8.GetString));
    }
}
