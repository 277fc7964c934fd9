print("spo")
