"""Crosscheck's Streamlit dashboard (UI only; see app.py)."""
