"""sitroom.web"""
