try:
    import a
except ImportError:
    try:
        import b as a
    except ImportError:
        a = None
